import { createRouter, operationParameters } from '../../shared/router';
import { createContext } from './context';
import * as importList from './import.operation';
import * as lookUp from './lookUp.operation';
import * as processMessage from './processMessage.operation';
import * as processingRecord from './processingRecord.operation';
import * as removeUndeliverable from './removeUndeliverable.operation';
import * as retryMessages from './retryMessages.operation';
import * as statistics from './statistics.operation';
import * as subscribe from './subscribe.operation';
import * as unsubscribe from './unsubscribe.operation';

/** A new operation is one file and one line here (and one option in the node's Operation list). */
export const operations = {
	processMessage,
	subscribe,
	unsubscribe,
	import: importList,
	lookUp,
	statistics,
	processingRecord,
	retryMessages,
	removeUndeliverable,
};

export type ConsentOperation = keyof typeof operations;

export const operationProperties = operationParameters(operations);

export const router = createRouter(operations, createContext);
