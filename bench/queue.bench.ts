/**
 * Broadcast queue benchmarks (prints figures; not a test): announcements go the way the nodes
 * send them (publishBroadcast → the number's SenderLoop), each poster with a client of its own as
 * two n8n executions would have, against the simulator in its own process. Runs after
 * bench/broadcast.bench.ts in `npm run bench:broadcast`.
 *
 *   npm run bench:broadcast                        # both benches, full sizes
 *   BENCH_SCALE=0.1 npx tsx bench/queue.bench.ts   # this one, a tenth of the sizes
 *   BENCH_QUEUE=two-80,latency npx tsx bench/queue.bench.ts   # some scenarios only
 *
 * The busiest second is counted where Meta would count it: from the simulator's arrival times of
 * accepted messages (GET /_sim/arrivals). With no 130429 answers every send that arrived is there.
 *
 * Why this file is long: one scenario per figure of issue 11's benchmark list, each printing the
 * same set of context figures (load, CPU per send, event-loop delay), over one simulator process;
 * split up, the report would scatter.
 */
import { loadavg } from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';

import {
	publishBroadcast,
	type Channel,
	SenderLoop,
	type BroadcastSummary,
	type NumberSettings,
	type PublishOutcome,
} from '../nodes/core/broadcast';
import { CloudApiClient, WhatsAppChannel } from '../nodes/core/channels/whatsapp';
import { announcementTemplate } from '../test/support/announcement';
import { tempSqlite } from '../test/support/temp-store';
import { busiestSecond, longestGap } from './busiest-second';
import {
	arrivals,
	counters,
	gc,
	PHONE_ID,
	seedInChild,
	startSimProcess,
	TOKEN,
} from './sim-process';

const SCALE = Number(process.env.BENCH_SCALE ?? 1);
/** A fixed in-flight limit instead of the one sized by itself, in every scenario but `fixed-8` (to compare). */
const IN_FLIGHT = process.env.BENCH_IN_FLIGHT ? Number(process.env.BENCH_IN_FLIGHT) : undefined;

interface Scenario {
	name: string;
	subscribers: number;
	broadcasts: number;
	number: NumberSettings;
	latencyMs: number;
	trackRss?: boolean;
}

interface Result {
	summaries: BroadcastSummary[];
	sent: number;
	/** Everything sent / the time from the first post until the last broadcast was done. */
	rate: number;
	/** (arrivals − 1) / (last arrival − first), at the simulator. */
	simRate: number;
	busiest: { fixed: number; sliding: number };
	/** The same where each send left the token bucket: our pacing without the way to the simulator. */
	busiestAtSender: number;
	longestGapMs: number;
	throttled: number;
	rssGrowthMb?: number;
	/** Peak growth of the JS heap V8 reserved (heapTotal), the part of the RSS growth that is JS. */
	heapGrowthMb?: number;
	/** JS heap still held after the broadcasts and a full GC. */
	retainedHeapMb?: number;
	/** Mean time from handing a send to the client to its answer, as the sender sees it (ms). */
	meanLatencyMs: number;
	/** This process's CPU time per message sent (µs). */
	cpuMicrosPerSend: number;
	/** How late this process's event loop ran its timers: p50 and p99 (ms); high = CPU starved. */
	loopDelayMs: { p50: number; p99: number };
}

interface SendLog {
	ms: number;
	n: number;
	/** When each send left the token bucket (ms since the time origin, this process's clock). */
	starts: number[];
}

/** The channel, timing each send: the latency the in-flight limit sizes itself by. */
function timed<M>(channel: Channel<M>, total: SendLog): Channel<M> {
	return {
		prepare: (spec, reference) => channel.prepare(spec, reference),
		send: async (message) => {
			const started = performance.now();
			total.starts.push(started);
			try {
				return await channel.send(message);
			} finally {
				total.ms += performance.now() - started;
				total.n += 1;
			}
		},
	};
}

async function run(scenario: Scenario): Promise<Result> {
	const db = tempSqlite();
	// Seeded by another process, so this process's RSS is the sender's alone.
	await seedInChild(db.file, scenario.subscribers);
	gc();
	const baseline = process.memoryUsage().rss;
	const store = await db.open();
	const number =
		IN_FLIGHT && scenario.number.maxInFlight === undefined
			? { ...scenario.number, maxInFlight: IN_FLIGHT }
			: scenario.number;
	const sim = await startSimProcess(number.rate, scenario.latencyMs);
	const clients: CloudApiClient[] = [];
	try {
		let peak = baseline;
		const heapBaseline = process.memoryUsage().heapTotal;
		const heapUsedBefore = process.memoryUsage().heapUsed;
		let heapPeak = heapBaseline;
		const sampler = scenario.trackRss
			? setInterval(() => {
					const memory = process.memoryUsage();
					peak = Math.max(peak, memory.rss);
					heapPeak = Math.max(heapPeak, memory.heapTotal);
				}, 50)
			: undefined;
		const latency: SendLog = { ms: 0, n: 0, starts: [] };
		const loopDelay = monitorEventLoopDelay({ resolution: 10 });
		loopDelay.enable();
		const cpuBefore = process.cpuUsage();
		const started = performance.now();
		// Posted at once, as two executions would: the first takes the number's lease and sends its
		// own, the second waits for the lease (polling once a second) and then sends its own.
		const outcomes = await Promise.all(
			Array.from({ length: scenario.broadcasts }, (_, i): Promise<PublishOutcome> => {
				const client = new CloudApiClient({
					baseUrl: sim.baseUrl,
					version: 'v24.0',
					phoneNumberId: PHONE_ID,
					accessToken: TOKEN,
				});
				clients.push(client);
				const channel = timed(new WhatsAppChannel(client), latency);
				const loop = new SenderLoop(store, channel, number);
				return publishBroadcast(
					loop,
					{
						key: `${scenario.name}-${i + 1}`,
						message: announcementTemplate(`Mitteilung ${i + 1}`, 'https://gemeinde.example/n/1'),
					},
					{ wait: true },
				);
			}),
		);
		const elapsedMs = performance.now() - started;
		const cpu = process.cpuUsage(cpuBefore);
		loopDelay.disable();
		if (sampler) clearInterval(sampler);
		peak = Math.max(peak, process.memoryUsage().rss);
		const summaries = outcomes.map((outcome) => {
			if (outcome.status !== 'done') throw new Error(`broadcast ${outcome.key} is still queued`);
			return outcome;
		});
		const sent = summaries.reduce((total, s) => total + s.sent, 0);
		gc();
		const retained = process.memoryUsage().heapUsed - heapUsedBefore;
		const at = await arrivals(sim.baseUrl);
		if (process.env.BENCH_TRACE) console.log(`  arrivals per second: ${perSecond(at).join(' ')}`);
		const span =
			at.length > 0 ? at.reduce((a, b) => Math.max(a, b)) - at.reduce((a, b) => Math.min(a, b)) : 0;
		return {
			summaries,
			sent,
			rate: (sent / elapsedMs) * 1000,
			simRate: span > 0 ? ((at.length - 1) / span) * 1000 : 0,
			busiest: busiestSecond(at),
			busiestAtSender: busiestSecond(latency.starts).sliding,
			longestGapMs: longestGap(at),
			throttled: (await counters(sim.baseUrl)).errors['130429'] ?? 0,
			meanLatencyMs: latency.ms / Math.max(1, latency.n),
			cpuMicrosPerSend: (cpu.user + cpu.system) / Math.max(1, sent),
			loopDelayMs: {
				p50: loopDelay.percentile(50) / 1e6,
				p99: loopDelay.percentile(99) / 1e6,
			},
			...(scenario.trackRss
				? {
						rssGrowthMb: (peak - baseline) / 1024 / 1024,
						heapGrowthMb: (heapPeak - heapBaseline) / 1024 / 1024,
						retainedHeapMb: retained / 1024 / 1024,
					}
				: {}),
		};
	} finally {
		for (const client of clients) client.close();
		await sim.stop();
		await store.close();
		await db.dispose();
	}
}

/** Arrivals in each second from the first (BENCH_TRACE=1): where a run ramped up or stalled. */
function perSecond(at: number[]): number[] {
	const first = at.reduce((a, b) => Math.min(a, b), Infinity);
	const counts: number[] = [];
	for (const t of at) {
		const i = Math.floor((t - first) / 1000);
		counts[i] = (counts[i] ?? 0) + 1;
	}
	return Array.from(counts, (n) => n ?? 0);
}

function size(n: number): number {
	return Math.max(100, Math.round(n * SCALE));
}

const f = (n: number, digits = 1) =>
	n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });

function diagnostics(r: Result): string {
	return `  sender: mean answer time ${f(r.meanLatencyMs)} ms, CPU ${f(r.cpuMicrosPerSend, 0)} µs/send, event-loop delay p50 ${f(r.loopDelayMs.p50)} ms p99 ${f(r.loopDelayMs.p99)} ms; machine load (1 min) ${f(loadavg()[0])} on 2 cores`;
}

function describeTwo(scenario: Scenario, r: Result): string {
	const { rate, replyShare } = scenario.number;
	const budget = rate * (1 - replyShare);
	return [
		`${scenario.broadcasts} broadcasts queued at once, ${rate} msg/s, reply share ${replyShare * 100} %, ${scenario.latencyMs} ms latency, in flight ${IN_FLIGHT ? `fixed at ${IN_FLIGHT}` : 'sized by itself'}, ${scenario.subscribers} subscribers each:`,
		`  combined ${f(r.rate)} msg/s = ${f(r.rate / rate, 3)} of ${rate}${replyShare ? ` (${f(r.rate / budget, 3)} of the ${f(budget, 0)} left after replies)` : ''} (target >= 0.95 at reply share 0); ${f(r.simRate)} msg/s between first and last arrival`,
		`  busiest second at the simulator: ${r.busiest.fixed} in a fixed second, ${r.busiest.sliding} in any one-second window (target <= ${f(budget, 0)}); ${r.busiestAtSender} where the sends left the bucket; 130429 answers: ${r.throttled}`,
		`  sent ${r.sent}; per broadcast ${r.summaries.map((s) => `${f(s.messagesPerSecond)} msg/s, peak in flight ${s.peakInFlight}`).join('; ')}; longest pause between arrivals ${r.longestGapMs} ms`,
		...(r.rssGrowthMb !== undefined
			? [
					`  peak RSS growth from opening the store to the end ${f(r.rssGrowthMb)} MB (target <= 100 MB), of which JS heap reserved ${f(r.heapGrowthMb ?? 0)} MB; heap still held after GC ${f(r.retainedHeapMb ?? 0)} MB`,
				]
			: []),
		diagnostics(r),
	].join('\n');
}

function describeOne(scenario: Scenario, r: Result, note: string): string {
	const { rate, replyShare, maxInFlight } = scenario.number;
	const budget = rate * (1 - replyShare);
	const s = r.summaries[0];
	return [
		`1 broadcast, ${rate} msg/s, reply share ${replyShare * 100} %, ${scenario.latencyMs} ms latency, in flight ${(maxInFlight ?? IN_FLIGHT) ? `fixed at ${maxInFlight ?? IN_FLIGHT}` : 'sized by itself'}, ${scenario.subscribers} subscribers:`,
		`  achieved ${f(r.rate)} msg/s = ${f(r.rate / budget, 3)} of the ${f(budget, 0)} configured for announcements ${note}; peak in flight ${s.peakInFlight}; busiest second ${r.busiest.sliding} (any window); 130429 answers: ${r.throttled}`,
		diagnostics(r),
	].join('\n');
}

const SCENARIOS: Record<string, () => Promise<void>> = {
	'two-80': async () => {
		for (const replyShare of [0, 0.1]) {
			const scenario: Scenario = {
				name: `two-80-${replyShare}`,
				subscribers: size(4_000),
				broadcasts: 2,
				number: { sender: PHONE_ID, rate: 80, replyShare },
				latencyMs: 50,
			};
			console.log(describeTwo(scenario, await run(scenario)));
		}
	},
	'two-1000': async () => {
		const scenario: Scenario = {
			name: 'two-1000',
			subscribers: size(100_000),
			broadcasts: 2,
			number: { sender: PHONE_ID, rate: 1000, replyShare: 0 },
			latencyMs: 50,
			trackRss: true,
		};
		console.log(describeTwo(scenario, await run(scenario)));
	},
	latency: async () => {
		for (const replyShare of IN_FLIGHT ? [0] : [0, 0.1]) {
			const scenario: Scenario = {
				name: `latency-${replyShare}`,
				subscribers: size(20_000),
				broadcasts: 1,
				number: { sender: PHONE_ID, rate: 1000, replyShare },
				latencyMs: 200,
			};
			console.log(describeOne(scenario, await run(scenario), '(target >= 0.95)'));
		}
	},
	'fixed-8': async () => {
		const scenario: Scenario = {
			name: 'fixed-8',
			subscribers: size(2_000),
			broadcasts: 1,
			number: { sender: PHONE_ID, rate: 1000, replyShare: 0, maxInFlight: 8 },
			latencyMs: 200,
		};
		console.log(
			describeOne(
				scenario,
				await run(scenario),
				'(the old fixed limit: 8 / 0.2 s = 40 msg/s by Little’s law)',
			),
		);
	},
};

async function main(): Promise<void> {
	// BENCH_ONLY asks for broadcast.bench.ts's throughput run alone.
	if (process.env.BENCH_ONLY) return;
	const chosen = process.env.BENCH_QUEUE?.split(',') ?? Object.keys(SCENARIOS);
	const unknown = chosen.filter((name) => !(name in SCENARIOS));
	if (unknown.length > 0)
		throw new Error(`BENCH_QUEUE: unknown ${unknown}; known: ${Object.keys(SCENARIOS)}`);
	console.log(`\nbroadcast queue benchmarks (scale ${SCALE}; node ${process.version})\n`);
	for (const name of chosen) await SCENARIOS[name]();
}

main().catch((error: unknown) => {
	console.error(error);
	process.exit(1);
});
