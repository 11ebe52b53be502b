import { NodeOperationError, type INode } from 'n8n-workflow';

import { CivicBroadcastError } from '../core/errors';
import { StoreUnavailableError } from '../core/store/store-errors';

/**
 * The one place where core errors become n8n errors. Core messages are written for staff and
 * never carry a phone number; anything else (a driver error, a bug) gets a generic message so
 * that no unvetted text, which might hold personal data, reaches execution data.
 */
export function toNodeError(node: INode, error: unknown, itemIndex?: number): NodeOperationError {
	if (error instanceof NodeOperationError) return error;
	if (error instanceof CivicBroadcastError) {
		const nodeError = new NodeOperationError(node, error.message, {
			itemIndex,
			description: describe(error),
		});
		// n8n swaps a message that mentions ECONNREFUSED etc. for a generic one that no longer says
		// what to fix; ours already does, so it is put back.
		nodeError.message = error.message;
		return nodeError;
	}
	return new NodeOperationError(node, 'Unexpected internal error in the civic broadcast node', {
		itemIndex,
		description: error instanceof Error ? error.name : typeof error,
	});
}

/** The error's class, and for an unavailable store whether running again later may succeed. */
function describe(error: CivicBroadcastError): string {
	if (!(error instanceof StoreUnavailableError)) return error.name;
	return error.transient
		? `${error.name} (${error.kind}): usually passes; running the workflow again later may succeed`
		: `${error.name} (${error.kind}): needs someone to fix it before the workflow can run`;
}
