import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import type {
	ICredentialDataDecryptedObject,
	IDataObject,
	INodeExecutionData,
	INodeParameters,
} from 'n8n-workflow';

import { ConsentStore } from '../../../nodes/ConsentStore/ConsentStore.node';
import { derivePrivacyKeys } from '../../../nodes/core/privacy/keys';
import { sealSender } from '../../../nodes/core/privacy/sealed-sender';
import { closeAllStores } from '../../../nodes/shared/store-cache';
import { TEST_KEY } from '../../contract/backends';
import { runWorkflow, type WorkflowRun } from '../../harness';

export const NODE = 'Consent Store';
export const TYPE = 'n8n-nodes-civic-broadcast.consentStore';
export const keys = derivePrivacyKeys(TEST_KEY);

/** A consent store credential on a fresh SQLite file; `dispose` closes the cached store and removes it. */
export function sqliteCredential(): {
	credential: ICredentialDataDecryptedObject;
	dir: string;
	dispose(): Promise<void>;
} {
	const dir = mkdtempSync(path.join(tmpdir(), 'consent-node-'));
	return {
		credential: {
			backend: 'sqlite',
			sqlitePath: path.join(dir, 'consent.sqlite'),
			dataProtectionKey: TEST_KEY,
		},
		dir,
		dispose: async () => {
			await closeAllStores();
			rmSync(dir, { recursive: true, force: true });
		},
	};
}

/** Runs one Consent Store node inside n8n's WorkflowExecute with the given items as its input. */
export function runConsentStore(
	parameters: INodeParameters,
	items: INodeExecutionData[],
	credential: ICredentialDataDecryptedObject,
): Promise<WorkflowRun> {
	return runWorkflow(
		{
			nodes: [
				{
					id: 'c1',
					name: NODE,
					type: TYPE,
					typeVersion: 1,
					position: [0, 0],
					parameters,
					credentials: { consentStoreDb: { id: 'cred', name: 'Consent store' } },
				},
			],
			connections: {},
		},
		{
			nodeTypes: { [TYPE]: new ConsentStore() },
			credentials: { consentStoreDb: credential },
			startData: [items],
		},
	);
}

/** A message item as the trigger emits it: the number only inside the sealed sender. */
export function messageItem(phone: string, fields: IDataObject): INodeExecutionData {
	return {
		json: {
			sender: sealSender(keys, { phone }),
			time: '2026-11-20T09:30:00.000Z',
			timestamp: 1763631000,
			type: 'text',
			...fields,
		},
	};
}
