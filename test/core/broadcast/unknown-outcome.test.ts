import {
	publishBroadcast,
	replyBudget,
	SenderLoop,
	type NumberSettings,
	type PublishRequest,
} from '../../../nodes/core/broadcast';
import { ANNOUNCEMENT, rigPerTest } from './support';

const SENDER = '100000000000001';
const BACKOFF = { backoff: { baseMs: 2, maxMs: 20 } };

function request(key: string, extra: Partial<PublishRequest> = {}): PublishRequest {
	return { key, message: ANNOUNCEMENT, ...extra };
}

describe('unknown outcomes: one policy', () => {
	// A fifth of the sends are accepted, then the connection drops before the answer.
	const rig = rigPerTest({ subscribers: 50, sim: { faults: { crashAfterAcceptShare: 0.2 } } });
	const unpaced: NumberSettings = { sender: SENDER, rate: 0, replyShare: 0 };

	it('at-most-once never sends again when the answer was lost, and counts each as unknown', async () => {
		const loop = new SenderLoop(rig.store, rig.channel, unpaced, BACKOFF);
		const outcome = await publishBroadcast(loop, request('amo', { policy: 'at-most-once' }), {
			wait: true,
		});
		const counts = rig.counts();
		expect(counts.every((n) => n <= 1)).toBe(true);
		expect(outcome).toMatchObject({ status: 'done', possibleDuplicates: 0 });
		const unknown = (outcome as { unknown: number }).unknown;
		expect(unknown).toBeGreaterThan(0);
		expect((await rig.store.broadcastReport('amo'))?.unknown).toBe(unknown);
	});

	it('at-least-once sends again and counts each resend as a possible duplicate', async () => {
		const loop = new SenderLoop(rig.store, rig.channel, unpaced, BACKOFF);
		const outcome = await publishBroadcast(loop, request('alo'), {
			wait: true,
		});
		const counts = rig.counts();
		expect(counts.every((n) => n >= 1)).toBe(true);
		const twice = counts.reduce((sum, n) => sum + (n - 1), 0);
		expect(twice).toBeGreaterThan(0);
		expect(outcome).toMatchObject({ status: 'done', unknown: 0 });
		// Every extra message the simulator accepted was a resend we counted.
		expect((outcome as { possibleDuplicates: number }).possibleDuplicates).toBeGreaterThanOrEqual(
			twice,
		);
	});
});

describe('replies share the number', () => {
	const rig = rigPerTest({ subscribers: 1 });

	it('replies from several callers stay within the share kept for them in every second', async () => {
		// 40 per second with 10 % for replies: 4 replies a second, whoever sends them.
		const number: NumberSettings = { sender: SENDER, rate: 40, replyShare: 0.1 };
		const budgets = [replyBudget(rig.store, number), replyBudget(rig.store, number)];
		const taken: number[] = [];
		await Promise.all(
			Array.from({ length: 10 }, async (_, i) => {
				await budgets[i % 2].take();
				taken.push(Math.floor(Date.now() / 1000));
			}),
		);
		const perSecond = new Map<number, number>();
		for (const second of taken) perSecond.set(second, (perSecond.get(second) ?? 0) + 1);
		expect(taken).toHaveLength(10);
		expect(Math.max(...perSecond.values())).toBeLessThanOrEqual(4);
	});
});
