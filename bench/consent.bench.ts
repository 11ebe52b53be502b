/**
 * Join/leave throughput of the consent store through the core (`processMessage`: open the sealed
 * sender, parse the keyword, one store transaction), on SQLite and on PostgreSQL.
 * Run: `npm run bench:consent` (PostgreSQL at 127.0.0.1:5432, trust auth, database `test`;
 * override with PGHOST/PGPORT/PGDATABASE/PGUSER/PGPASSWORD; BENCH_PEOPLE, BENCH_CONCURRENCY).
 */
import { performance } from 'node:perf_hooks';

import {
	KeywordParser,
	processMessage,
	replyTexts,
	type ProcessOptions,
} from '../nodes/core/consent';
import { sealSender } from '../nodes/core/privacy/sealer';
import { tempPostgres, tempSqlite, type TempStore } from '../test/support/temp-store';
import { testKeys as keys } from '../test/support/test-key';

const PEOPLE = Number(process.env.BENCH_PEOPLE ?? 2000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16);
const options: ProcessOptions = {
	parser: new KeywordParser(),
	texts: replyTexts(),
	defaultLanguage: 'de',
	textVersion: 'v1',
	serviceName: 'Bench',
};

function phone(i: number): string {
	return `49151${String(i).padStart(8, '0')}`;
}

/** Runs `count` operations with at most CONCURRENCY in flight; returns operations per second. */
async function measure(count: number, op: (i: number) => Promise<unknown>): Promise<number> {
	let next = 0;
	const start = performance.now();
	await Promise.all(
		Array.from({ length: CONCURRENCY }, async () => {
			while (next < count) await op(next++);
		}),
	);
	return count / ((performance.now() - start) / 1000);
}

/** Measures on a database of its own, removed afterwards. */
async function run(name: string, db: TempStore): Promise<string[]> {
	const store = await db.open();
	try {
		const senders = Array.from({ length: PEOPLE }, (_, i) => sealSender(keys, { phone: phone(i) }));
		const message = (i: number, text: string) => ({ sender: senders[i], type: 'text', text });
		// warm-up: statement caches, pool connections
		for (let i = 0; i < 50; i++) {
			await processMessage(store, keys, message(i, 'start'), options);
			await processMessage(store, keys, message(i, 'stop'), options);
		}
		const joins = await measure(PEOPLE, (i) =>
			processMessage(store, keys, message(i, 'Start!'), options),
		);
		const leaves = await measure(PEOPLE, (i) =>
			processMessage(store, keys, message(i, 'STOP'), options),
		);
		if ((await store.countSubscribers()) !== 0) throw new Error(`${name}: subscribers left over`);
		// all operations over all their time: what a day of Start and Stop messages sees on average
		const both = 2 / (1 / joins + 1 / leaves);
		return [name, fmt(joins), fmt(leaves), fmt(both)];
	} finally {
		await db.dispose();
	}
}

function fmt(n: number): string {
	return `${Math.round(n).toLocaleString('en-US')}/s`;
}

async function main(): Promise<void> {
	const rows = [
		await run('SQLite (node:sqlite, WAL)', tempSqlite()),
		await run('PostgreSQL (pg, pool 10)', tempPostgres()),
	];
	console.log(
		`Consent store join/leave throughput: ${PEOPLE} people, ${CONCURRENCY} in parallel, through processMessage`,
	);
	console.log('| backend | joins (Start) | leaves (Stop) | join + leave together |');
	console.log('|---|---|---|---|');
	for (const row of rows) console.log(`| ${row.join(' | ')} |`);
}

main().catch((error) => {
	console.error(error);
	process.exitCode = 1;
});
