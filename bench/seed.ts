/**
 * `tsx bench/seed.ts <sqlite file> <count>`: subscribes `count` made-up numbers, 5,000 per
 * transaction. Run as a child of the benchmark so the benchmark's RSS is the sender's alone.
 */
import { openStore, type SubscribeInput } from '../nodes/core/store';
import { testKeys } from '../test/support/test-key';

async function seed(dbPath: string, count: number): Promise<void> {
	const store = await openStore({ backend: 'sqlite', path: dbPath, keys: testKeys });
	const batch = 5_000;
	for (let from = 0; from < count; from += batch) {
		const inputs: SubscribeInput[] = [];
		for (let n = from; n < Math.min(count, from + batch); n++) {
			inputs.push({
				identity: { phone: `49151${String(10_000_000 + n)}` },
				language: 'de',
				source: 'import',
				textVersion: 'v1',
			});
		}
		await store.subscribeMany(inputs);
	}
	await store.close();
}

seed(process.argv[2], Number(process.argv[3])).catch((error: unknown) => {
	console.error(error);
	process.exit(1);
});
