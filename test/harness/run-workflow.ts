import { ExecutionLifecycleHooks, WorkflowExecute } from 'n8n-core';
import {
	createRunExecutionData,
	Workflow,
	type ICredentialDataDecryptedObject,
	type IConnections,
	type IDataObject,
	type INode,
	type INodeExecutionData,
	type INodeType,
	type INodeTypes,
	type IRun,
	type IVersionedNodeType,
	type IWorkflowBase,
	type IWorkflowExecuteAdditionalData,
	type IWorkflowSettings,
	type WorkflowExecuteMode,
} from 'n8n-workflow';

import { sharedAdditionalData } from './additional-data';

/** A workflow as n8n exports it; only the parts the engine needs. */
export interface WorkflowJson {
	name?: string;
	nodes: INode[];
	connections: IConnections;
	settings?: IWorkflowSettings;
	staticData?: IDataObject;
}

export interface RunOptions {
	/** Node implementations by the type name the workflow uses (e.g. `n8n-nodes-civic-broadcast.consentStore`). */
	nodeTypes: Record<string, INodeType | IVersionedNodeType>;
	/** Decrypted credential data by credential type name. */
	credentials?: Record<string, ICredentialDataDecryptedObject>;
	/** Name of the node to start from; defaults to the workflow's start node. */
	startNode?: string;
	/**
	 * Items the start node receives, one array per output. For a trigger or webhook
	 * node this is what it emitted (n8n passes a webhook's output through the same way).
	 */
	startData?: INodeExecutionData[][];
	mode?: WorkflowExecuteMode;
}

export interface WorkflowRun {
	run: IRun;
	/** Items a node emitted on one output in its first run (empty if it emitted none). */
	output(nodeName: string, outputIndex?: number): INodeExecutionData[];
	/** JSON of those items, for assertions. */
	json(nodeName: string, outputIndex?: number): IDataObject[];
	/** The error the run stopped on, if any. */
	error: Error | undefined;
	/** Names of the nodes that ran, in order. */
	executed: string[];
}

class MapNodeTypes implements INodeTypes {
	constructor(private readonly types: Record<string, INodeType | IVersionedNodeType>) {}

	getByName(type: string): INodeType | IVersionedNodeType {
		const found = this.types[type];
		if (!found) throw new Error(`Unknown node type "${type}" in the test harness`);
		return found;
	}

	getByNameAndVersion(type: string, version?: number): INodeType {
		const found = this.getByName(type);
		if ('nodeVersions' in found) {
			return found.getNodeType(version);
		}
		return found;
	}

	getKnownTypes(): IDataObject {
		return {};
	}
}

function additionalDataFor(
	hooks: ExecutionLifecycleHooks,
	credentials: Record<string, ICredentialDataDecryptedObject>,
): IWorkflowExecuteAdditionalData {
	const data: Partial<IWorkflowExecuteAdditionalData> = {
		...sharedAdditionalData(credentials),
		hooks,
		executeWorkflow: async () => {
			throw new Error('Sub-workflows are not available in the test harness');
		},
		getRunExecutionData: async () => undefined,
		getRuntimeCredential: async () => undefined,
	};
	return data as IWorkflowExecuteAdditionalData;
}

function firstNodeWithoutParents(workflow: Workflow): INode | undefined {
	return Object.values(workflow.nodes).find(
		(node) => workflow.getParentNodes(node.name).length === 0,
	);
}

/** Runs a workflow inside n8n's real execution engine (`WorkflowExecute` from n8n-core). */
export async function runWorkflow(
	workflowJson: WorkflowJson,
	options: RunOptions,
): Promise<WorkflowRun> {
	const nodeTypes = new MapNodeTypes(options.nodeTypes);
	const workflow = new Workflow({
		id: 'test-workflow',
		name: workflowJson.name ?? 'test',
		nodes: workflowJson.nodes,
		connections: workflowJson.connections,
		settings: workflowJson.settings,
		staticData: workflowJson.staticData,
		nodeTypes,
		active: false,
	});

	const workflowBase = {
		id: 'test-workflow',
		name: workflowJson.name ?? 'test',
		nodes: workflowJson.nodes,
		connections: workflowJson.connections,
		active: false,
		activeVersionId: null,
		isArchived: false,
		createdAt: new Date(),
		updatedAt: new Date(),
	} as unknown as IWorkflowBase;
	const hooks = new ExecutionLifecycleHooks(
		options.mode ?? 'manual',
		'test-execution',
		workflowBase,
	);
	const executed: string[] = [];
	hooks.addHandler('nodeExecuteAfter', (nodeName) => {
		executed.push(nodeName);
	});
	let resolveFinished: (run: IRun) => void = () => {};
	const finished = new Promise<IRun>((resolve) => (resolveFinished = resolve));
	hooks.addHandler('workflowExecuteAfter', (fullRunData) => resolveFinished(fullRunData));

	const startNode = options.startNode
		? workflow.getNode(options.startNode)
		: (workflow.getStartNode() ?? firstNodeWithoutParents(workflow));
	if (!startNode) throw new Error('The workflow has no start node');

	const runExecutionData = createRunExecutionData({
		executionData: {
			nodeExecutionStack: [
				{
					node: startNode,
					data: { main: options.startData ?? [[{ json: {} }]] },
					source: null,
				},
			],
		},
	});

	const additionalData = additionalDataFor(hooks, options.credentials ?? {});
	const engine = new WorkflowExecute(additionalData, options.mode ?? 'manual', runExecutionData);
	await engine.processRunExecutionData(workflow);
	const run = await finished;

	const output = (nodeName: string, outputIndex = 0): INodeExecutionData[] =>
		run.data.resultData.runData[nodeName]?.[0]?.data?.main?.[outputIndex] ?? [];
	return {
		run,
		output,
		json: (nodeName, outputIndex = 0) => output(nodeName, outputIndex).map((item) => item.json),
		error: run.data.resultData.error,
		executed,
	};
}
