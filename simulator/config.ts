import type { PairRateLimit } from './limits';
import type { ServerStatusValue } from './payloads';
import { DEFAULT_TEMPLATES, type SimTemplate } from './templates';

export interface FaultConfig {
	/** Delay before answering: fixed ms, or uniform between min and max (seeded). */
	latencyMs?: number | { min: number; max: number };
	/** Share (0–1) of requests answered with HTTP 500 (Meta code 2, "API Service"). */
	serverErrorShare?: number;
	/** Share of requests held unanswered and never accepted: timeouts that surely delivered nothing. */
	timeoutShare?: number;
	/**
	 * How long a held request stays open before the simulator closes its connection, still
	 * unanswered and not accepted. Unset: until the client gives up. Setting it lets a test keep the
	 * client's own timeout long (so it never fires on an accepted request) and still end held ones.
	 */
	holdMs?: number;
	/** Share of sends recorded as accepted whose connection is then destroyed before the answer. */
	crashAfterAcceptShare?: number;
	/** Meta error code to answer for given recipients (e.g. `{ '4915100000001': 131026 }`). */
	recipientErrors?: Record<string, number>;
	/** Bursts of 130429: of every `period` requests, the first `length` are throttled. */
	throttleBursts?: { period: number; length: number };
}

export interface StatusConfig {
	/** Send status webhooks for accepted messages on its own. */
	auto: boolean;
	sequence: ServerStatusValue[];
	delayMs: number;
	/** Deliver the sequence reversed (a `read` before its `delivered`). */
	outOfOrder: boolean;
	/** Deliver every status webhook twice. */
	duplicate: boolean;
}

export interface SimulatorConfig {
	accessToken: string;
	phoneNumberId: string;
	displayPhoneNumber: string;
	verifiedName: string;
	wabaId: string;
	appId: string;
	appSecret: string;
	/** Where simulated citizens' messages and statuses are POSTed (the trigger's webhook URL). */
	callbackUrl?: string;
	templates: SimTemplate[];
	/** Messages per second per phone number; 0 = unlimited. */
	rate: number;
	burst: number;
	pairRate: PairRateLimit | false;
	statuses: StatusConfig;
	faults: FaultConfig;
	/** `counts` keeps no message bodies (benchmarks); `full` keeps everything. */
	record: 'full' | 'counts';
	seed: number;
}

export type SimulatorOptions = Partial<Omit<SimulatorConfig, 'statuses'>> & {
	statuses?: Partial<StatusConfig>;
	port?: number;
	host?: string;
	/** Clock in ms; tests move it to cross the 24-hour window. */
	now?: () => number;
};

export function resolveConfig(options: SimulatorOptions, base?: SimulatorConfig): SimulatorConfig {
	const rate = options.rate ?? base?.rate ?? 80;
	return {
		accessToken: options.accessToken ?? base?.accessToken ?? 'sim-access-token',
		phoneNumberId: options.phoneNumberId ?? base?.phoneNumberId ?? '100000000000001',
		displayPhoneNumber: options.displayPhoneNumber ?? base?.displayPhoneNumber ?? '15550001111',
		verifiedName: options.verifiedName ?? base?.verifiedName ?? 'Gemeinde Musterdorf',
		wabaId: options.wabaId ?? base?.wabaId ?? '200000000000002',
		appId: options.appId ?? base?.appId ?? '300000000000003',
		appSecret: options.appSecret ?? base?.appSecret ?? 'sim-app-secret',
		callbackUrl: options.callbackUrl ?? base?.callbackUrl,
		templates: options.templates ?? base?.templates ?? DEFAULT_TEMPLATES,
		rate,
		burst: options.burst ?? (options.rate !== undefined ? rate : (base?.burst ?? rate)),
		pairRate: options.pairRate ?? base?.pairRate ?? { maxPerWindow: 10, windowMs: 6000 },
		statuses: {
			auto: false,
			sequence: ['sent', 'delivered', 'read'],
			delayMs: 0,
			outOfOrder: false,
			duplicate: false,
			...base?.statuses,
			...options.statuses,
		},
		faults: options.faults ?? base?.faults ?? {},
		record: options.record ?? base?.record ?? 'full',
		seed: options.seed ?? base?.seed ?? 1,
	};
}
