/**
 * Broadcast benchmarks (prints figures; not a test). The simulator runs in its own process, so
 * the figures measure our sender (and RSS is ours alone).
 *
 *   npm run bench:broadcast                 # full sizes
 *   BENCH_SCALE=0.1 npm run bench:broadcast # a quick look at a tenth of the sizes
 *   BENCH_ROUTE=https-proxy BENCH_ONLY=1 npm run bench:broadcast
 *       # the throughput run only, over one route to the simulator: `direct` (plain http, the
 *       # default), `proxy` (http forwarded by a local proxy), `https` (TLS front, no proxy),
 *       # `https-proxy` (TLS inside CONNECT tunnels). The proxy and TLS front run in a process of
 *       # their own (bench/route-helper.ts).
 *
 * Why this file is long: one scenario per figure the README reports (rates, throughput per
 * route, memory), all over one simulator child process; split up, the printed report would scatter.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import tls from 'node:tls';

import { sendBroadcast, type BroadcastSummary } from '../nodes/core/broadcast';
import { CloudApiClient, WhatsAppChannel } from '../nodes/core/channels/whatsapp';
import { announcementTemplate } from '../test/support/announcement';
import { tempSqlite } from '../test/support/temp-store';
import { selfSignedCertificate } from '../test/support/tls-front';
import { BENCH_HOST } from './route-helper';
import { counters, gc, PHONE_ID, ROOT, seedInChild, startSimProcess, TOKEN } from './sim-process';

const SCALE = Number(process.env.BENCH_SCALE ?? 1);
const ROUTES = ['direct', 'proxy', 'https', 'https-proxy'] as const;
type RouteName = (typeof ROUTES)[number];
const ROUTE = (process.env.BENCH_ROUTE ?? 'direct') as RouteName;
if (!ROUTES.includes(ROUTE)) throw new Error(`BENCH_ROUTE must be one of ${ROUTES.join(', ')}`);

const MESSAGE = announcementTemplate(
	'Wasserleitung: Sperre am Montag',
	'https://gemeinde.example/news/42',
);

interface BenchRoute {
	baseUrl: string;
	env: Record<string, string>;
	/** Stops the helper process; resolves to what its proxy and TLS front counted. */
	stop(): Promise<string>;
}

/** The way from the sender to the simulator process (see BENCH_ROUTE). */
async function openRoute(simBaseUrl: string): Promise<BenchRoute> {
	const simPort = new URL(simBaseUrl).port;
	if (ROUTE === 'direct') return { baseUrl: simBaseUrl, env: {}, stop: async () => '' };
	const args = ['--import', 'tsx', 'bench/route-helper.ts', '--sim', simPort];
	let certDir: string | undefined;
	if (ROUTE.startsWith('https')) {
		certDir = mkdtempSync(path.join(tmpdir(), 'bench-cert-'));
		const certificate = selfSignedCertificate(['localhost', BENCH_HOST]);
		writeFileSync(path.join(certDir, 'key.pem'), certificate.key);
		writeFileSync(path.join(certDir, 'cert.pem'), certificate.cert);
		tls.setDefaultCACertificates([...tls.getCACertificates('default'), certificate.cert]);
		args.push('--tls', certDir);
	}
	if (ROUTE.endsWith('proxy')) args.push('--proxy');
	const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
	const lines: string[] = [];
	const ready = new Promise<{ tlsPort?: number; proxyUrl?: string }>((resolve, reject) => {
		let out = '';
		child.stdout?.on('data', (chunk: Buffer) => {
			out += chunk.toString();
			const complete = out.split('\n');
			out = complete.pop() ?? '';
			for (const line of complete) lines.push(line);
			if (lines.length === 1) resolve(JSON.parse(lines[0]));
		});
		child.on('exit', (code) => reject(new Error(`route helper exited with ${code}`)));
	});
	const { tlsPort, proxyUrl } = await ready;
	const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
	const stop = async () => {
		child.kill('SIGTERM');
		await exited;
		if (certDir) rmSync(certDir, { recursive: true, force: true });
		return lines[1] ?? '';
	};
	switch (ROUTE) {
		case 'proxy':
			return { baseUrl: `http://${BENCH_HOST}:${simPort}`, env: { HTTP_PROXY: proxyUrl! }, stop };
		case 'https':
			return { baseUrl: `https://localhost:${tlsPort}`, env: {}, stop };
		default:
			return { baseUrl: `https://${BENCH_HOST}`, env: { HTTPS_PROXY: proxyUrl! }, stop };
	}
}

interface Scenario {
	name: string;
	subscribers: number;
	simRate: number;
	latencyMs: number;
	rate: number;
	maxInFlight: number;
	trackRss?: boolean;
}

async function run(scenario: Scenario): Promise<{
	summary: BroadcastSummary;
	throttled: number;
	/** CPU time of this process (the sender) per message sent, µs: steadier than sends/s on a busy machine. */
	cpuMicrosPerSend: number;
	rssGrowthMb?: number;
	retainedHeapMb?: number;
}> {
	const db = tempSqlite();
	// Seeded by another process, so this process's RSS is the sender's alone.
	await seedInChild(db.file, scenario.subscribers);
	gc();
	const baseline = process.memoryUsage().rss;
	const heapBefore = process.memoryUsage().heapUsed;
	const store = await db.open();
	const sim = await startSimProcess(scenario.simRate, scenario.latencyMs);
	const route = await openRoute(sim.baseUrl);
	const client = new CloudApiClient({
		baseUrl: route.baseUrl,
		version: 'v24.0',
		phoneNumberId: PHONE_ID,
		accessToken: TOKEN,
		maxSockets: scenario.maxInFlight,
		env: route.env,
	});
	try {
		let peak = baseline;
		const sampler = scenario.trackRss
			? setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50)
			: undefined;
		const cpuBefore = process.cpuUsage();
		const summary = await sendBroadcast(
			store,
			new WhatsAppChannel(client),
			{ key: scenario.name, message: MESSAGE },
			{
				rate: scenario.rate,
				maxInFlight: scenario.maxInFlight,
			},
		);
		if (sampler) clearInterval(sampler);
		const cpu = process.cpuUsage(cpuBefore);
		peak = Math.max(peak, process.memoryUsage().rss);
		gc();
		const retained = process.memoryUsage().heapUsed - heapBefore;
		const c = await counters(sim.baseUrl);
		return {
			summary,
			throttled: c.errors['130429'] ?? 0,
			cpuMicrosPerSend: (cpu.user + cpu.system) / Math.max(1, summary.sent),
			...(scenario.trackRss
				? { rssGrowthMb: (peak - baseline) / 1024 / 1024, retainedHeapMb: retained / 1024 / 1024 }
				: {}),
		};
	} finally {
		client.close();
		const routeCounts = await route.stop();
		if (routeCounts) console.log(`  route ${ROUTE}: ${routeCounts}`);
		await sim.stop();
		await db.dispose();
	}
}

function size(n: number): number {
	return Math.max(100, Math.round(n * SCALE));
}

async function main(): Promise<void> {
	console.log(`broadcast benchmarks (scale ${SCALE}; node ${process.version}; route ${ROUTE})\n`);
	const only = process.env.BENCH_ONLY;
	for (const rate of only ? [] : [80, 1000]) {
		const result = await run({
			name: `rate-${rate}`,
			subscribers: size(10_000),
			simRate: rate,
			latencyMs: 50,
			rate,
			maxInFlight: Math.max(8, Math.ceil(rate * 0.05 * 1.5)),
		});
		const s = result.summary;
		console.log(
			`rate ${rate} mps, 50 ms latency, ${s.recipients} subscribers: achieved ${s.messagesPerSecond} mps = ${(s.messagesPerSecond / rate).toFixed(3)} of configured (target >= 0.95); sent ${s.sent}, 130429 from simulator: ${result.throttled}`,
		);
	}
	const fast = await run({
		name: 'throughput',
		subscribers: size(50_000),
		simRate: 0,
		latencyMs: 0,
		rate: 0,
		maxInFlight: Number(process.env.BENCH_IN_FLIGHT ?? 64),
	});
	console.log(
		`no rate limit, zero latency, ${fast.summary.recipients} subscribers: ${fast.summary.messagesPerSecond} sends/s (target >= 10000); sent ${fast.summary.sent}; sender CPU ${fast.cpuMicrosPerSend.toFixed(0)} µs/send`,
	);
	if (only) return;
	const big = await run({
		name: 'memory',
		subscribers: size(100_000),
		simRate: 0,
		latencyMs: 0,
		rate: 0,
		maxInFlight: 64,
		trackRss: true,
	});
	console.log(
		`${big.summary.recipients} subscribers: peak RSS growth from opening the store to the end of the send ${big.rssGrowthMb?.toFixed(1)} MB (target <= 100 MB), JS heap still held after GC ${big.retainedHeapMb?.toFixed(1)} MB; ${big.summary.messagesPerSecond} sends/s`,
	);
}

main().catch((error: unknown) => {
	console.error(error);
	process.exit(1);
});
