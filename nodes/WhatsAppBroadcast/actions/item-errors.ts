import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { toNodeError } from '../../shared/node-errors';

/**
 * Runs `work` for each item; a failing item either stops the node with a clear error or, with
 * "Continue On Fail", becomes an error item and the rest go on. Nothing is lost either way.
 */
export async function forEachItem(
	fn: IExecuteFunctions,
	work: (itemIndex: number) => Promise<INodeExecutionData['json']>,
): Promise<INodeExecutionData[]> {
	const out: INodeExecutionData[] = [];
	const items = fn.getInputData();
	for (let i = 0; i < items.length; i++) {
		try {
			out.push({ json: await work(i), pairedItem: { item: i } });
		} catch (error) {
			const nodeError = toNodeError(fn.getNode(), error, i);
			if (!fn.continueOnFail()) throw nodeError;
			out.push({ json: { error: nodeError.message }, pairedItem: { item: i } });
		}
	}
	return out;
}
