import {
	NodeConnectionTypes,
	NodeOperationError,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import { runSingleNode, runWorkflow, type WorkflowJson } from '../harness';

/** A node that exists only to prove the harness: multiplies `value` by its `factor` parameter and reads a credential. */
class MultiplyNode implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Multiply',
		name: 'multiply',
		group: ['transform'],
		version: 1,
		description: 'test node',
		usableAsTool: true,
		defaults: { name: 'Multiply' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main, NodeConnectionTypes.Main],
		outputNames: ['even', 'odd'],
		credentials: [{ name: 'multiplyApi', required: false }],
		properties: [{ displayName: 'Factor', name: 'factor', type: 'number', default: 1 }],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const even: INodeExecutionData[] = [];
		const odd: INodeExecutionData[] = [];
		const credentials = await this.getCredentials('multiplyApi');
		const items = this.getInputData();
		for (let i = 0; i < items.length; i++) {
			const factor = this.getNodeParameter('factor', i) as number;
			const value = items[i].json.value ?? items[i].json.result;
			if (typeof value !== 'number') {
				throw new NodeOperationError(this.getNode(), `Item ${i} has no numeric value`, {
					itemIndex: i,
				});
			}
			const result = value * factor;
			(result % 2 === 0 ? even : odd).push({
				json: { result, by: credentials.label as string },
				pairedItem: { item: i },
			});
		}
		return [even, odd];
	}
}

const nodeTypes = { 'test.multiply': new MultiplyNode() };

function workflow(factorExpression: string): WorkflowJson {
	return {
		nodes: [
			{
				id: '1',
				name: 'Start',
				type: 'test.multiply',
				typeVersion: 1,
				position: [0, 0],
				parameters: { factor: 1 },
				credentials: { multiplyApi: { id: 'c1', name: 'test' } },
			},
			{
				id: '2',
				name: 'Triple',
				type: 'test.multiply',
				typeVersion: 1,
				position: [200, 0],
				parameters: { factor: factorExpression },
				credentials: { multiplyApi: { id: 'c1', name: 'test' } },
			},
		],
		connections: {
			Start: { main: [[{ node: 'Triple', type: 'main', index: 0 }], []] },
		},
	};
}

describe('engine harness (n8n-core WorkflowExecute)', () => {
	const credentials = { multiplyApi: { label: 'from-credential' } };

	it('runs connected nodes, resolves expressions, routes outputs and supplies credentials', async () => {
		const result = await runWorkflow(workflow('={{ 1 + 2 }}'), {
			nodeTypes,
			credentials,
			startData: [[{ json: { value: 2 } }, { json: { value: 4 } }]],
		});
		expect(result.error).toBeUndefined();
		expect(result.executed).toEqual(['Start', 'Triple']);
		expect(result.json('Triple', 0)).toEqual([
			{ result: 6, by: 'from-credential' },
			{ result: 12, by: 'from-credential' },
		]);
		expect(result.json('Triple', 1)).toEqual([]);
	});

	it('reports the error a node throws', async () => {
		const result = await runWorkflow(workflow('3'), {
			nodeTypes,
			credentials,
			startData: [[{ json: { value: 'not a number' } }]],
		});
		expect(result.error?.message).toBe('Item 0 has no numeric value');
		expect(result.json('Triple')).toEqual([]);
	});
});

describe('runSingleNode: one node of the package as a whole workflow', () => {
	it('runs the node on the given items with its credentials, under its display name', async () => {
		const result = await runSingleNode(new MultiplyNode(), {
			parameters: { factor: 3 },
			credentials: { multiplyApi: { label: 'single' } },
			items: [{ json: { value: 1 } }, { json: { value: 2 } }],
		});
		expect(result.executed).toEqual(['Multiply']);
		expect(result.json('Multiply', 0)).toEqual([{ result: 6, by: 'single' }]);
		expect(result.json('Multiply', 1)).toEqual([{ result: 3, by: 'single' }]);
	});

	it('with Continue On Fail the engine passes the input on instead of stopping at the node', async () => {
		const options = {
			name: 'Times',
			credentials: { multiplyApi: { label: 'single' } },
			items: [{ json: { value: 'x' } }],
		};
		const stopped = await runSingleNode(new MultiplyNode(), options);
		expect(stopped.error?.message).toBe('Item 0 has no numeric value');
		expect(stopped.json('Times', 0)).toEqual([]);
		const continued = await runSingleNode(new MultiplyNode(), {
			...options,
			onError: 'continueRegularOutput',
		});
		// n8n's engine, when a node throws under Continue (Regular Output): its input goes on.
		expect(continued.json('Times', 0)).toEqual([{ value: 'x' }]);
	});
});
