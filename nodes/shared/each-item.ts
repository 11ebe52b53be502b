import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { toNodeError } from './node-errors';

/** What an operation hands back to n8n: one item list per output of the node. */
export type NodeOutputs = INodeExecutionData[][];

/**
 * Runs `handle` for every input item and puts its JSON on the output it names. A failing item
 * either stops the node with a translated error, or (with "Continue On Fail") becomes an error
 * item on `errorOutput` and the rest go on. Nothing is lost either way.
 */
export async function forEachItem(
	fn: IExecuteFunctions,
	outputs: number,
	errorOutput: number,
	handle: (itemIndex: number) => Promise<{ output: number; json: IDataObject }>,
): Promise<NodeOutputs> {
	const result: NodeOutputs = Array.from({ length: outputs }, () => []);
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

/** `forEachItem` for operations with one output: each item's JSON (or its error) lands there. */
export async function mapEachItem(
	fn: IExecuteFunctions,
	toJson: (itemIndex: number) => Promise<IDataObject>,
): Promise<NodeOutputs> {
	return forEachItem(fn, 1, 0, async (i) => ({ output: 0, json: await toJson(i) }));
}
