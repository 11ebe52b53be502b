import {
	processingRecordHtml,
	processingRecordMarkdown,
	type ProcessingRecordInput,
} from '../../../nodes/core/consent';
import { ConfigError } from '../../../nodes/core/errors';

const input: ProcessingRecordInput = {
	controller: 'Gemeinde Musterstadt, Rathausplatz 1',
	controllerContact: 'info@musterstadt.example',
	dataProtectionOfficer: 'dsb@musterstadt.example',
	serviceName: 'Stadtinfo <Musterstadt>',
	internalRecipients: 'Pressestelle',
	backend: 'postgres',
	pseudonymPrefix: 'Gost_',
	consentTextVersion: '2026-11',
	date: '2026-11-24',
};

describe('Art. 30 record of processing', () => {
	it('has every field the regulation asks for, filled from the parameters', () => {
		const md = processingRecordMarkdown(input);
		for (const heading of [
			'## Controller',
			'## Name and purpose of the processing',
			'## Legal basis',
			'## Categories of data subjects',
			'## Categories of personal data',
			'## Recipients',
			'## Transfer to third countries',
			'## Erasure periods',
			'## Technical and organisational measures (Art. 32)',
		])
			expect(md).toContain(heading);
		expect(md).toContain(
			'# Record of processing activities (Art. 30 GDPR): Stadtinfo <Musterstadt>',
		);
		expect(md).toContain('As of 2026-11-24.');
		expect(md).toContain('- Gemeinde Musterstadt, Rathausplatz 1');
		expect(md).toContain('Data protection officer: dsb@musterstadt.example');
		expect(md).toContain('Gost_0001');
		expect(md).toContain('(current: 2026-11)');
		expect(md).toContain('Internal: Pressestelle.');
		expect(md).toContain('Meta Platforms Ireland Ltd. as processor');
		expect(md).toContain('PostgreSQL database');
		expect(md).toContain('not saved (workflow setting)');
	});

	it('renders HTML with every value escaped', () => {
		const html = processingRecordHtml({ ...input, backend: 'sqlite', executionDataSaved: true });
		expect(html).toMatch(/^<!DOCTYPE html>/);
		expect(html).toContain(
			'<h1>Record of processing activities (Art. 30 GDPR): Stadtinfo &lt;Musterstadt&gt;</h1>',
		);
		expect(html).not.toContain('<Musterstadt>');
		expect(html).toContain('<h2>Erasure periods</h2>');
		expect(html).toContain('SQLite file');
		expect(html).toContain('kept according to the n8n instance’s pruning settings');
	});

	it('needs a controller and a contact', () => {
		expect(() => processingRecordMarkdown({ ...input, controller: ' ' })).toThrow(ConfigError);
		expect(() => processingRecordMarkdown({ ...input, controllerContact: '' })).toThrow(
			/controller contact is empty/,
		);
	});
});
