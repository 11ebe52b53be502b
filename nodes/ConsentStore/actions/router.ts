import type { IExecuteFunctions } from 'n8n-workflow';

import { toNodeError } from '../../shared/node-errors';
import type { ConsentStoreCredential } from '../../shared/store-cache';
import { createContext, type ConsentContext, type OperationResult } from './context';
import * as importList from './import.operation';
import * as lookUp from './lookUp.operation';
import * as processMessage from './processMessage.operation';
import * as processingRecord from './processingRecord.operation';
import * as statistics from './statistics.operation';
import * as subscribe from './subscribe.operation';
import * as unsubscribe from './unsubscribe.operation';

type Execute = (this: IExecuteFunctions, context: ConsentContext) => Promise<OperationResult>;

export const operations = {
	import: importList,
	lookUp,
	processMessage,
	processingRecord,
	statistics,
	subscribe,
	unsubscribe,
} satisfies Record<string, { execute: Execute }>;

export type ConsentOperation = keyof typeof operations;

export async function router(this: IExecuteFunctions): Promise<OperationResult> {
	const operation = this.getNodeParameter('operation', 0) as ConsentOperation;
	const handler = operations[operation];
	if (!handler) throw toNodeError(this.getNode(), new Error(`Unknown operation "${operation}"`));
	const credential = await this.getCredentials<ConsentStoreCredential>('consentStoreDb');
	try {
		return await handler.execute.call(this, createContext(this, credential));
	} catch (error) {
		// Opening the store or reading settings failed before any item was handled.
		throw toNodeError(this.getNode(), error);
	}
}
