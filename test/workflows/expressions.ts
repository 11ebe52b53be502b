/**
 * Evaluates a parameter of an exported workflow with n8n-workflow's own expression engine, for a
 * given input item, the way n8n resolves it when the node runs. Node types are not needed for
 * that: n8n skips parameter defaults for types it does not know.
 */
import { Workflow, type INodeTypes, type IDataObject, type INode } from 'n8n-workflow';

import { findNode, type ExportedWorkflow } from '../../scripts/n8n/workflows';

const NO_NODE_TYPES = {
	getByName: () => undefined,
	getByNameAndVersion: () => undefined,
	getKnownTypes: () => ({}),
} as unknown as INodeTypes;

/** Value at a dotted path in a node's parameters (`options.responseFormTitle`, `formFields.values.0.fieldLabel`). */
export function parameterAt(workflow: ExportedWorkflow, nodeName: string, path: string): unknown {
	let value: unknown = findNode(workflow, nodeName).parameters;
	for (const key of path.split('.')) value = (value as Record<string, unknown> | undefined)?.[key];
	return value;
}

export function evaluateParameter(
	workflow: ExportedWorkflow,
	nodeName: string,
	path: string,
	item: IDataObject,
): unknown {
	const engine = new Workflow({
		id: String(workflow.id),
		nodes: structuredClone(workflow.nodes) as unknown as INode[],
		connections: workflow.connections as never,
		active: false,
		nodeTypes: NO_NODE_TYPES,
	});
	return engine.expression.getParameterValue(
		parameterAt(workflow, nodeName, path) as string,
		null,
		0,
		0,
		nodeName,
		[{ json: item }],
		'manual',
		{},
	);
}

/** Every `$json.a.b` (or `$json.a?.b`) path an expression string reads, as `a.b`. */
export function jsonPathsRead(expression: string): string[] {
	const paths = [...expression.matchAll(/\$json((?:\??\.[A-Za-z_][A-Za-z0-9_]*)+)/g)].map((m) =>
		m[1].replace(/\?\./g, '.').slice(1),
	);
	return [...new Set(paths)].sort();
}
