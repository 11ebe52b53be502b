export { sendBroadcast, type BroadcastSummary } from './sender';
export { type BroadcastRequest, type BroadcastStore } from './request';
export {
	isUnreachable,
	type Channel,
	type MessageRenderer,
	type PreparedMessage,
	type SendOutcome,
	type Unreachable,
} from './channel';
export { previewBroadcast, type BroadcastPreview } from './preview';
export { broadcastKeyFor } from './broadcast-key';
export { type MessageSpec, type TemplateSpec, type TextSpec } from './message-spec';
export { sanitizeParameter, stripHtml, decodeEntities, truncate } from './sanitize';
export { TokenBucket, type TokenBucketOptions } from './token-bucket';
export { systemClock, type Clock } from './clock';
export { DEFAULT_RATE, type SendOptions } from './options';
export { backoffDelay, type BackoffOptions } from './backoff';
export { BroadcastBusyError } from './lease';
export { sendReply, type ReplyOptions, type ReplyRequest, type ReplyResult } from './reply';
export { recordDeliveryStatus, type StatusInput, type StatusRecorded } from './record-status';
export {
	broadcastPace,
	enqueueBroadcast,
	PRIORITY,
	replyBudget,
	SenderLoop,
	SENDER_LEASE_MS,
	type DrainResult,
	type LoopOptions,
	type NumberSettings,
	type PublishRequest,
	type QueueStore,
	type ReplyBudget,
} from './queue';
export {
	BroadcastAbortedError,
	publishBroadcast,
	type PublishOptions,
	type PublishOutcome,
} from './publish';
export { InFlightLimit, MAX_IN_FLIGHT_BOUND } from './in-flight';
