import { InputError } from '../errors';
import type { PrivacyKeys } from '../privacy/keys';
import { openMessageId } from '../privacy/sealer';
import type { DeliveryLedger, StatusUpdate } from '../store/types';

/** A status item as the trigger's Statuses output carries it; every field as staff may map it. */
export interface StatusInput {
	/** The sealed message ID (`sealedid1.…`); a plain wamid passes as is. */
	messageId: unknown;
	status: unknown;
	/** ISO time or Unix seconds (or milliseconds); empty means now. */
	time?: unknown;
	/** Meta's error code of a failed status, as text or number; anything else is ignored. */
	errorCode?: unknown;
}

export interface StatusRecorded {
	status: StatusUpdate['status'];
	result: Awaited<ReturnType<DeliveryLedger['recordStatus']>>;
	errorCode?: number;
}

const STATUSES: ReadonlySet<string> = new Set<StatusUpdate['status']>([
	'sent',
	'delivered',
	'read',
	'failed',
	'played',
]);

/**
 * Applies one status from the trigger to the ledger: idempotent, and a late `delivered` never
 * undoes `read`. The message ID is opened here, so the wamid (which encodes the number) never
 * reaches the node.
 */
export async function recordDeliveryStatus(
	ledger: Pick<DeliveryLedger, 'recordStatus'>,
	keys: PrivacyKeys,
	input: StatusInput,
	now: () => Date = () => new Date(),
): Promise<StatusRecorded> {
	const sealed = text(input.messageId);
	if (!sealed)
		throw new InputError("The message ID is empty: connect the trigger's statuses output");
	const status = text(input.status);
	if (!STATUSES.has(status))
		throw new InputError(
			`The status "${status}" is not one of sent, delivered, read, failed, played`,
		);
	const code = text(input.errorCode);
	const update: StatusUpdate = {
		messageId: openMessageId(keys, sealed),
		status: status as StatusUpdate['status'],
		at: parseTime(input.time, now),
		...(/^\d+$/.test(code) ? { errorCode: Number(code) } : {}),
	};
	const result = await ledger.recordStatus(update);
	return {
		status: update.status,
		result,
		...(update.errorCode !== undefined ? { errorCode: update.errorCode } : {}),
	};
}

function text(value: unknown): string {
	return String(value ?? '').trim();
}

function parseTime(value: unknown, now: () => Date): Date {
	const written = text(value);
	if (!written) return now();
	const date = /^\d+$/.test(written)
		? new Date(Number(written) * (written.length <= 10 ? 1000 : 1))
		: new Date(written);
	if (Number.isNaN(date.getTime()))
		throw new InputError(`The time "${written}" is not a date: map the trigger's \`time\` field`);
	return date;
}
