import type {
	ICredentialDataDecryptedObject,
	INode,
	INodeExecutionData,
	INodeParameters,
	INodeType,
	WorkflowExecuteMode,
} from 'n8n-workflow';

import { runWorkflow, type WorkflowRun } from './run-workflow';

/** The package's node types are `<package>.<node>` in n8n, as in the exported workflows. */
const PACKAGE = 'n8n-nodes-civic-broadcast';

export interface SingleNodeOptions {
	/** The node's name in the workflow (the key of its output); default its display name. */
	name?: string;
	parameters?: INodeParameters;
	/** Decrypted credential data by credential type; the node refers to each of them. */
	credentials?: Record<string, ICredentialDataDecryptedObject>;
	/** The items on the node's input. */
	items?: INodeExecutionData[];
	/** What a trigger emitted, one array per output (instead of `items`). */
	startData?: INodeExecutionData[][];
	/** `continueRegularOutput`: the node's Continue On Fail setting. */
	onError?: INode['onError'];
	mode?: WorkflowExecuteMode;
}

/** Runs one of the package's nodes as the only step of a workflow in n8n's `WorkflowExecute`. */
export function runSingleNode(
	nodeType: INodeType,
	options: SingleNodeOptions = {},
): Promise<WorkflowRun> {
	const type = `${PACKAGE}.${nodeType.description.name}`;
	const credentials = options.credentials ?? {};
	return runWorkflow(
		{
			nodes: [
				{
					id: 'node-1',
					name: options.name ?? nodeType.description.displayName,
					type,
					typeVersion: 1,
					position: [0, 0],
					parameters: options.parameters ?? {},
					credentials: Object.fromEntries(
						Object.keys(credentials).map((name) => [name, { id: name, name }]),
					),
					...(options.onError ? { onError: options.onError } : {}),
				},
			],
			connections: {},
		},
		{
			nodeTypes: { [type]: nodeType },
			credentials,
			startData: options.startData ?? [options.items ?? [{ json: {} }]],
			mode: options.mode,
		},
	);
}
