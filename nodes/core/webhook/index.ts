export * from './types';
export { verifyHandshake, type HandshakeResult } from './handshake';
export { checkSignature, verifySignature, type SignatureCheck } from './signature';
export { parseEvents } from './parse-events';
export { selectEvents, type EventFilter, type Selection } from './select-events';
export {
	claimInRecord,
	dropDuplicates,
	eventKey,
	eventRef,
	SEVEN_DAYS_MS,
	type EventKeyClaimer,
	type SeenRecord,
} from './dedupe';
export { toItem, toItems, type ItemOptions, type Items, type OutputItem } from './to-items';
export { keepInInbox } from './inbox';
export {
	receiveDelivery,
	type DedupeStorage,
	type DeliveryCounts,
	type DeliveryOutcome,
	type DeliverySettings,
} from './receive';
