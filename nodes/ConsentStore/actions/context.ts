import type { IExecuteFunctions } from 'n8n-workflow';

import type { NodeOutputs } from '../../shared/each-item';
import type { ExecutionContext } from '../../shared/router';
import { createStoreContext, type StoreContext } from '../../shared/store-context';
import { readPseudonymPrefix } from './parameters';

/** What every Consent Store operation receives: the store, opened at most once, on demand. */
export type ConsentContext = StoreContext;

export type OperationResult = NodeOutputs;

/** The store is opened with the node's pseudonym prefix (new subscribers are named with it). */
export async function createContext(
	fn: IExecuteFunctions,
): Promise<ExecutionContext<ConsentContext>> {
	const context = await createStoreContext(fn, () => readPseudonymPrefix(fn, 0));
	// The store is cached per credential and stays open; nothing to close per execution.
	return { context, close: () => undefined };
}
