import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { ConfigError } from '../core/errors';
import type { NodeOutputs } from './each-item';
import { toNodeError } from './node-errors';

/**
 * One operation of a node: `actions/<name>.operation.ts` exports its parameters
 * (each shown only for its operation, see `updateDisplayOptions`) and `execute`, which receives
 * what the node's context opens on demand.
 */
export interface Operation<Context> {
	description: INodeProperties[];
	execute(this: IExecuteFunctions, context: Context): Promise<NodeOutputs>;
}

/** A node's context for one execution; `close` frees what it opened for this execution only. */
export interface ExecutionContext<Context> {
	context: Context;
	close(): void;
}

/** The parameters of every operation, in the order the operations are listed. */
export function operationParameters<Context>(
	operations: Record<string, Operation<Context>>,
): INodeProperties[] {
	return Object.values(operations).flatMap((operation) => operation.description);
}

/**
 * The `execute` of a node: reads the Operation parameter, builds the context, runs the
 * operation, and translates whatever escapes it into an n8n error in one place. Contexts open
 * stores and clients lazily, so an operation that needs neither opens nothing.
 */
export function createRouter<Context>(
	operations: Record<string, Operation<Context>>,
	createContext: (fn: IExecuteFunctions) => Promise<ExecutionContext<Context>>,
): (this: IExecuteFunctions) => Promise<NodeOutputs> {
	return async function router(this: IExecuteFunctions): Promise<NodeOutputs> {
		const name = this.getNodeParameter('operation', 0) as string;
		const operation = Object.hasOwn(operations, name) ? operations[name] : undefined;
		if (!operation)
			throw toNodeError(this.getNode(), new ConfigError(`Unknown operation "${name}"`));
		let opened: ExecutionContext<Context> | undefined;
		try {
			opened = await createContext(this);
			return await operation.execute.call(this, opened.context);
		} catch (error) {
			// Opening the store or reading settings failed before any item was handled.
			throw toNodeError(this.getNode(), error);
		} finally {
			opened?.close();
		}
	};
}
