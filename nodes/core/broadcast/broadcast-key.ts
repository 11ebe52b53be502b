import { createHash } from 'node:crypto';

import type { MessageSpec } from './message-spec';

/**
 * The idempotency key of an announcement: what the user chose (an expression), else the feed
 * item's guid, else its link, else a hash of the content. The same announcement thus maps to the
 * same broadcast on every run, and a rerun sends only to those not yet sent.
 */
export function broadcastKeyFor(input: {
	explicit?: unknown;
	item?: Record<string, unknown>;
	message: MessageSpec;
}): string {
	const explicit = textOf(input.explicit);
	if (explicit) return explicit.slice(0, 500);
	const guid = textOf(input.item?.guid);
	if (guid) return `guid:${guid}`.slice(0, 500);
	const link = textOf(input.item?.link);
	if (link) return `link:${link}`.slice(0, 500);
	return `sha256:${createHash('sha256').update(stableJson(input.message)).digest('hex')}`;
}

function textOf(value: unknown): string | undefined {
	if (typeof value === 'number' && Number.isFinite(value)) return String(value);
	if (typeof value !== 'string') return undefined;
	const trimmed = value.trim();
	return trimmed || undefined;
}

/** JSON with sorted keys, so the same content always hashes the same. */
function stableJson(value: unknown): string {
	if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
	if (value !== null && typeof value === 'object') {
		const entries = Object.entries(value as Record<string, unknown>)
			.filter(([, v]) => v !== undefined)
			.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
		return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(',')}}`;
	}
	return JSON.stringify(value) ?? 'null';
}
