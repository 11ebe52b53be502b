import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import type { PrivacyKeys } from '../../core/privacy/keys';
import type { Store } from '../../core/store';
import { toNodeError } from '../../shared/node-errors';
import { storeFor, type ConsentStoreCredential } from '../../shared/store-cache';

/** What every operation receives from the router (STYLE.md §3): the store is opened at most once. */
export interface ConsentContext {
	credential: ConsentStoreCredential;
	/** Opens (or reuses) the store of this credential with the node's pseudonym prefix. */
	open(): Promise<{ store: Store; keys: PrivacyKeys }>;
}

export type OperationResult = INodeExecutionData[][];

export function createContext(
	fn: IExecuteFunctions,
	credential: ConsentStoreCredential,
): ConsentContext {
	let opened: Promise<{ store: Store; keys: PrivacyKeys }> | undefined;
	return {
		credential,
		open: () => {
			opened ??= storeFor(credential, {
				pseudonymPrefix: fn.getNodeParameter('pseudonymPrefix', 0, 'Gast_') as string,
			});
			return opened;
		},
	};
}

/**
 * Runs `handle` for every input item. A failing item either stops the node with a translated
 * error, or (with "Continue On Fail") becomes an error item on `errorOutput`.
 */
export async function forEachItem(
	fn: IExecuteFunctions,
	outputs: number,
	errorOutput: number,
	handle: (itemIndex: number) => Promise<{ output: number; json: INodeExecutionData['json'] }>,
): Promise<OperationResult> {
	const result: OperationResult = Array.from({ length: outputs }, () => []);
	const items = fn.getInputData();
	for (let i = 0; i < items.length; i++) {
		try {
			const { output, json } = await handle(i);
			result[output].push({ json, pairedItem: { item: i } });
		} catch (error) {
			const nodeError = toNodeError(fn.getNode(), error, i);
			if (!fn.continueOnFail()) throw nodeError;
			result[errorOutput].push({ json: { error: nodeError.message }, pairedItem: { item: i } });
		}
	}
	return result;
}

/** `forEachItem` for the operations with one output: each item's result (or error) lands there. */
export async function mapEachItem(
	fn: IExecuteFunctions,
	toJson: (itemIndex: number) => Promise<IDataObject>,
): Promise<OperationResult> {
	return forEachItem(fn, 1, 0, async (i) => ({ output: 0, json: await toJson(i) }));
}
