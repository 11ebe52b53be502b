import { writeFileSync } from 'node:fs';
import { DatabaseSync } from 'node:sqlite';
import { join } from 'node:path';

import type { Store } from '../../../nodes/core/store';
import { serializeLikeMeta, signBody } from '../../../simulator';
import { CITIZEN, envelope, messagesChange, status, wamidFor } from '../../core/webhook/fixtures';
import { runSingleNode } from '../../harness';
import { WhatsAppBroadcastTrigger } from '../../../nodes/WhatsAppBroadcastTrigger/WhatsAppBroadcastTrigger.node';
import { findPhoneLeaks } from '../../support/privacy';
import { tempSqlite, type TempSqlite } from '../../support/temp-store';
import { APP_SECRET, triggerRunner, type TriggerSetup } from './support';

let serial = 70_000;
/** A signed delivery of one text from CITIZEN (and a status of one of our messages). */
function delivery(text: string, withStatus = false): string {
	serial += 1;
	return serializeLikeMeta(
		envelope([
			messagesChange({
				messages: [
					{
						from: CITIZEN,
						id: wamidFor(CITIZEN, serial),
						timestamp: String(1_764_000_000 + serial),
						type: 'text',
						text: { body: text },
					},
				],
				statuses: withStatus ? [status(serial, 'delivered')] : undefined,
			}),
		]),
	);
}

function post(setup: TriggerSetup, body: string) {
	return setup.runner.call({
		method: 'POST',
		headers: {
			'content-type': 'application/json',
			'x-hub-signature-256': signBody(body, APP_SECRET),
		},
		body,
	});
}

describe('WhatsApp Broadcast Trigger: the durable inbox (consent store dedupe)', () => {
	let db: TempSqlite;
	let store: Store;
	let setup: TriggerSetup;
	beforeEach(async () => {
		db = tempSqlite();
		store = await db.open();
		setup = triggerRunner({ consentStore: db.credential });
	});
	afterEach(async () => {
		await setup.dispose();
		await db.dispose();
	});

	it('answers 200 with each message kept in the inbox, the emitted item naming its row', async () => {
		const outcome = await post(setup, delivery('Start', true));
		expect(outcome.status).toBe(200);
		const [item] = outcome.output(0);
		expect(item.inbox).toMatch(/^[A-Za-z0-9_-]{22}$/);
		expect(outcome.output(1)).toHaveLength(1);
		// Statuses are deduped, not kept: only the message is in the inbox, as it was emitted.
		const kept = await store.pendingInbox({ olderThanMs: 0, limit: 10 });
		expect(kept.map((e) => [e.ref, e.item])).toEqual([[item.inbox, item]]);
		expect(kept[0].sentAt).toEqual(new Date(Number(item.timestamp) * 1000));
	});

	it('keeps a redelivered message once and emits it once', async () => {
		const body = delivery('Stop');
		expect((await post(setup, body)).output(0)).toHaveLength(1);
		const again = await post(setup, body);
		expect(again).toMatchObject({ status: 200, executionStarted: false });
		expect(await db.count('inbox')).toBe(1);
	});

	it('answers 500 and claims nothing when the inbox cannot be written; Meta’s retry is then accepted', async () => {
		await post(setup, delivery('warm-up'));
		const raw = new DatabaseSync(db.file);
		raw.exec('ALTER TABLE inbox RENAME TO inbox_away');
		const body = delivery('Stop');
		const failed = await post(setup, body);
		expect(failed).toMatchObject({ status: 500, body: 'Temporarily unable to process' });
		expect(failed.executionStarted).toBe(false);
		const line = setup.runner.logs.find((l) => l.level === 'error');
		expect(line?.message).toMatch(/not processed, Meta will retry: Error \(ERR_SQLITE_ERROR/);
		raw.exec('ALTER TABLE inbox_away RENAME TO inbox');
		raw.close();
		// The dedupe key was rolled back with the inbox row: the retry is not taken for a duplicate.
		const retried = await post(setup, body);
		expect(retried.status).toBe(200);
		expect(retried.output(0)).toHaveLength(1);
		expect(findPhoneLeaks(JSON.stringify(setup.runner.logs), [CITIZEN])).toEqual([]);
	});

	it('answers 500 with the cause when the store cannot be opened at all', async () => {
		const blocker = join(db.file, '..', 'not-a-folder');
		writeFileSync(blocker, 'x');
		const broken = triggerRunner({
			consentStore: { ...db.credential, sqlitePath: join(blocker, 'store.sqlite') },
		});
		try {
			const outcome = await post(broken, delivery('Start'));
			expect(outcome).toMatchObject({ status: 500, executionStarted: false });
			const line = broken.runner.logs.find((l) => l.level === 'error');
			expect(line?.message).toMatch(/Meta will retry: .*SQLite/);
			expect(findPhoneLeaks(JSON.stringify(broken.runner.logs), [CITIZEN])).toEqual([]);
		} finally {
			await broken.dispose();
		}
	});

	it('with static-data dedupe keeps no inbox and emits items without an inbox reference', async () => {
		const staticSetup = triggerRunner({
			consentStore: db.credential,
			parameters: { options: { dedupeStorage: 'staticData' } },
		});
		try {
			const outcome = await post(staticSetup, delivery('Start'));
			expect(outcome.status).toBe(200);
			expect(outcome.output(0)[0].inbox).toBeUndefined();
			expect(await db.count('inbox')).toBe(0);
		} finally {
			await staticSetup.dispose();
		}
	});

	it('passes the inbox reference through n8n’s WorkflowExecute', async () => {
		const outcome = await post(setup, delivery('Info'));
		const run = await runSingleNode(new WhatsAppBroadcastTrigger(), {
			startData: outcome.workflowData,
			mode: 'webhook',
		});
		expect(run.json('WhatsApp Broadcast Trigger', 0)[0].inbox).toBe(outcome.output(0)[0].inbox);
	});
});
