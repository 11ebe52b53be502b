import { ConfigError } from '../errors';

/** What the admin enters; everything else in the record follows from how the package works. */
export interface ProcessingRecordInput {
	controller: string;
	controllerContact: string;
	dataProtectionOfficer?: string;
	serviceName: string;
	/** Departments that read replies or write announcements. */
	internalRecipients?: string;
	purpose?: string;
	backend: 'sqlite' | 'postgres';
	pseudonymPrefix: string;
	consentTextVersion: string;
	/** Whether n8n keeps successful executions of the service's workflows (recommended: no). */
	executionDataSaved?: boolean;
	/** ISO date the record was generated, shown in the record. */
	date?: string;
	additionalMeasures?: string;
}

interface Section {
	title: string;
	lines: string[];
}

/**
 * Builds the Art. 30 GDPR record of processing activities (Verzeichnis von
 * Verarbeitungstätigkeiten) with the fields the regulation asks for.
 */
export function processingRecordSections(input: ProcessingRecordInput): Section[] {
	if (!input.controller?.trim())
		throw new ConfigError('The controller is empty: enter the municipality (name and address)');
	if (!input.controllerContact?.trim())
		throw new ConfigError(
			'The controller contact is empty: enter an e-mail address or phone of the office',
		);
	const storage =
		input.backend === 'postgres'
			? 'PostgreSQL database operated by the controller'
			: 'SQLite file on the controller’s n8n server';
	return [
		{
			title: 'Controller',
			lines: [
				input.controller.trim(),
				`Contact: ${input.controllerContact.trim()}`,
				`Data protection officer: ${input.dataProtectionOfficer?.trim() || 'not designated'}`,
			],
		},
		{
			title: 'Name and purpose of the processing',
			lines: [
				`${input.serviceName}: WhatsApp announcement service (opt-in).`,
				input.purpose?.trim() ||
					'Sending public announcements of the municipality (the same content as the official gazette and the website) to citizens who asked for them; answering their questions. The service is informational only; official requests go through the usual channels.',
			],
		},
		{
			title: 'Legal basis',
			lines: [
				'Consent, Art. 6(1)(a) and Art. 7 GDPR: given by sending a keyword (e.g. “Start”); withdrawn at any time by sending “Stop” (Art. 7(3)).',
				`Proof of consent kept per person: time, keyword, inbound message ID (encrypted), version of the information text (current: ${input.consentTextVersion}).`,
			],
		},
		{
			title: 'Categories of data subjects',
			lines: [
				'Citizens and other persons who subscribed to the service, or who were imported from the service’s previous contact list, or were signed up on paper by staff.',
				'Persons who write to the service number without subscribing (their messages reach staff).',
			],
		},
		{
			title: 'Categories of personal data',
			lines: [
				'Mobile phone number and WhatsApp business-scoped user ID (stored only encrypted, AES-256-GCM, plus a keyed hash for look-ups).',
				`Pseudonym (${input.pseudonymPrefix}0001, …), preferred language, consent proof (see above).`,
				'Delivery state per announcement (sent, delivered, read, failed, error code).',
				'Content of messages citizens send to staff. Profile names sent by WhatsApp are discarded.',
			],
		},
		{
			title: 'Recipients',
			lines: [
				`Internal: ${input.internalRecipients?.trim() || 'the staff who run the service and answer messages'}.`,
				'External: Meta Platforms Ireland Ltd. as processor (WhatsApp Business Platform, Cloud API) under Meta’s data processing terms.',
			],
		},
		{
			title: 'Transfer to third countries',
			lines: [
				'Meta may process data in the USA and other countries (Meta Platforms, Inc. as sub-processor); safeguards: EU–US Data Privacy Framework and standard contractual clauses as in Meta’s data processing terms.',
				`The subscriber list itself stays in the controller’s ${storage}.`,
			],
		},
		{
			title: 'Erasure periods',
			lines: [
				'On withdrawal (“Stop”, or the marketing opt-out in WhatsApp’s settings): number, user ID and delivery records are deleted at once, in one transaction; an audit line keeps only pseudonym, event and time.',
				'Keyed hashes of processed webhook message IDs (duplicate protection): 7 days.',
				input.executionDataSaved
					? 'n8n execution data: kept according to the n8n instance’s pruning settings (by default 14 days); it contains no plaintext numbers.'
					: 'n8n execution data of successful runs: not saved (workflow setting); failed runs are pruned by the n8n instance and contain no plaintext numbers.',
			],
		},
		{
			title: 'Technical and organisational measures (Art. 32)',
			lines: [
				'Numbers and user IDs encrypted at rest (AES-256-GCM, key derived from a data-protection key held only in n8n’s encrypted credential store); look-ups through HMAC-SHA256 blind indexes.',
				'Pseudonyms instead of names; no plaintext number in n8n execution data, error messages or logs (sealed sender tokens, pseudonyms).',
				'Webhooks from Meta accepted only with a valid signature (X-Hub-Signature-256).',
				'A dedicated phone number used for nothing else; replies go to one person, never to the whole list.',
				'Access to n8n restricted to named staff accounts; backups of the database encrypted like the database.',
				...(input.additionalMeasures?.trim() ? [input.additionalMeasures.trim()] : []),
			],
		},
	];
}

export function processingRecordMarkdown(input: ProcessingRecordInput): string {
	const sections = processingRecordSections(input);
	const head = `# Record of processing activities (Art. 30 GDPR): ${input.serviceName}\n\nAs of ${date(input)}.`;
	return (
		[
			head,
			...sections.map((s) => `## ${s.title}\n\n${s.lines.map((l) => `- ${l}`).join('\n')}`),
		].join('\n\n') + '\n'
	);
}

export function processingRecordHtml(input: ProcessingRecordInput): string {
	const sections = processingRecordSections(input);
	const body = sections
		.map(
			(s) =>
				`<h2>${escapeHtml(s.title)}</h2>\n<ul>\n${s.lines.map((l) => `<li>${escapeHtml(l)}</li>`).join('\n')}\n</ul>`,
		)
		.join('\n');
	const title = `Record of processing activities (Art. 30 GDPR): ${escapeHtml(input.serviceName)}`;
	return `<!DOCTYPE html>\n<html lang="en">\n<head><meta charset="utf-8"><title>${title}</title></head>\n<body>\n<h1>${title}</h1>\n<p>As of ${escapeHtml(date(input))}.</p>\n${body}\n</body>\n</html>\n`;
}

function date(input: ProcessingRecordInput): string {
	return input.date ?? new Date().toISOString().slice(0, 10);
}

export function escapeHtml(text: string): string {
	return text
		.replace(/&/g, '&amp;')
		.replace(/</g, '&lt;')
		.replace(/>/g, '&gt;')
		.replace(/"/g, '&quot;')
		.replace(/'/g, '&#39;');
}
