import type { MessageType, StatusValue, WebhookEvent } from './types';

export interface EventFilter {
	/** Message types to keep; empty or absent = all. `preference` selects marketing stop/resume. */
	messageTypes?: ReadonlyArray<MessageType | 'preference'>;
	/** Statuses to keep; empty or absent = all. */
	statuses?: readonly StatusValue[];
	/** Drop messages (and preferences) older than this many minutes; 0 or absent = keep all. */
	maxAgeMinutes?: number;
	/** Clock in ms. */
	now: number;
}

export interface Selection {
	kept: WebhookEvent[];
	droppedByType: number;
	droppedAsOld: number;
}

/**
 * Applies the node's options. Age is checked for messages and preferences only: Meta retries for
 * up to 7 days, and a "Start" answered days late confuses more than it helps, whereas a late
 * status still completes the delivery ledger.
 */
export function selectEvents(events: readonly WebhookEvent[], filter: EventFilter): Selection {
	const types = filter.messageTypes?.length ? new Set<string>(filter.messageTypes) : undefined;
	const statuses = filter.statuses?.length ? new Set<string>(filter.statuses) : undefined;
	const oldest =
		filter.maxAgeMinutes && filter.maxAgeMinutes > 0
			? filter.now - filter.maxAgeMinutes * 60_000
			: undefined;
	const selection: Selection = { kept: [], droppedByType: 0, droppedAsOld: 0 };
	for (const event of events) {
		if (event.kind === 'status') {
			if (statuses && !statuses.has(event.status)) selection.droppedByType += 1;
			else selection.kept.push(event);
			continue;
		}
		const type = event.kind === 'preference' ? 'preference' : event.type;
		if (types && !types.has(type)) selection.droppedByType += 1;
		else if (oldest !== undefined && event.timestamp * 1000 < oldest) selection.droppedAsOld += 1;
		else selection.kept.push(event);
	}
	return selection;
}
