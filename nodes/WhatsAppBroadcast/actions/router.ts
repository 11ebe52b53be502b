import { createRouter, operationParameters } from '../../shared/router';
import { createContext } from './context';
import * as recordStatus from './recordStatus.operation';
import * as reply from './reply.operation';
import * as resumeBroadcasts from './resumeBroadcasts.operation';
import * as report from './report.operation';
import * as sendAnnouncement from './sendAnnouncement.operation';

/** A new operation is one file and one line here (and one option in the node's Operation list). */
export const operations = { sendAnnouncement, reply, recordStatus, report, resumeBroadcasts };

export const operationProperties = operationParameters(operations);

export const router = createRouter(operations, createContext);
