import type { IExecuteFunctions } from 'n8n-workflow';

import type { NodeOutputs } from '../../shared/each-item';
import { toNodeError } from '../../shared/node-errors';
import { openContext, type BroadcastContext } from './context';
import * as recordStatus from './recordStatus.operation';
import * as reply from './reply.operation';
import * as report from './report.operation';
import * as sendAnnouncement from './sendAnnouncement.operation';

type Operation = (this: IExecuteFunctions, context: BroadcastContext) => Promise<NodeOutputs>;

/** A new operation is one file and one line here. */
export const operations: Record<string, Operation> = {
	recordStatus: recordStatus.execute,
	reply: reply.execute,
	report: report.execute,
	sendAnnouncement: sendAnnouncement.execute,
};

export const operationProperties = [
	...sendAnnouncement.description,
	...reply.description,
	...recordStatus.description,
	...report.description,
];

export async function router(this: IExecuteFunctions): Promise<NodeOutputs> {
	const operation = this.getNodeParameter('operation', 0) as string;
	const run = operations[operation];
	if (!run) throw toNodeError(this.getNode(), new Error(`Unknown operation ${operation}`));
	let opened: Awaited<ReturnType<typeof openContext>> | undefined;
	try {
		opened = await openContext(this);
		return await run.call(this, opened.context);
	} catch (error) {
		throw toNodeError(this.getNode(), error);
	} finally {
		opened?.close();
	}
}
