import { broadcastKeyFor } from '../../../nodes/core/broadcast';
import { prepareMessage } from '../../../nodes/core/channels/whatsapp';
import type { Recipient } from '../../../nodes/core/store';
import { announcementTemplate } from '../../support/announcement';

const recipient: Recipient = {
	subscriberId: 1,
	pseudonym: 'Gast_0001',
	language: 'sl',
	phone: '38640123456',
};
const named = announcementTemplate('Zapora ceste\n', 'https://obcina.example/1');

describe('message rendering', () => {
	it('renders a named template in the subscriber language with Stop payload and callback data', () => {
		const message = prepareMessage(named, 'key-1')(recipient);
		expect(message).toEqual({
			messaging_product: 'whatsapp',
			recipient_type: 'individual',
			to: '38640123456',
			type: 'template',
			biz_opaque_callback_data: 'key-1',
			template: {
				name: 'civic_announcement',
				language: { code: 'sl' },
				components: [
					{
						type: 'body',
						parameters: [
							{ type: 'text', text: 'Zapora ceste', parameter_name: 'title' },
							{ type: 'text', text: 'https://obcina.example/1', parameter_name: 'link' },
						],
					},
					{
						type: 'button',
						sub_type: 'quick_reply',
						index: '0',
						parameters: [{ type: 'payload', payload: 'STOP' }],
					},
				],
			},
		});
	});

	it('renders positional parameters with a header in a fixed language', () => {
		const message = prepareMessage({
			mode: 'template',
			name: 'p',
			language: 'de',
			parameterFormat: 'positional',
			body: [{ value: 'a' }, { value: 'b' }],
			header: 'Kopf',
		})(recipient);
		expect(message.type === 'template' && message.template).toEqual({
			name: 'p',
			language: { code: 'de' },
			components: [
				{ type: 'header', parameters: [{ type: 'text', text: 'Kopf' }] },
				{
					type: 'body',
					parameters: [
						{ type: 'text', text: 'a' },
						{ type: 'text', text: 'b' },
					],
				},
			],
		});
	});

	it('renders free text', () => {
		expect(prepareMessage({ mode: 'text', text: 'Hallo' })(recipient)).toMatchObject({
			type: 'text',
			text: { body: 'Hallo', preview_url: false },
		});
	});

	it('refuses what cannot be rendered, naming what to fix', () => {
		expect(() => prepareMessage({ ...named, name: '' })).toThrow('The template name is empty');
		expect(() =>
			prepareMessage({ ...named, body: [{ name: 'title', value: '<p> </p>' }] }),
		).toThrow('The body parameter "title" is empty after removing HTML');
		expect(() => prepareMessage({ ...named, body: [{ name: 'Title!', value: 'x' }] })).toThrow(
			'needs a name of lower-case letters',
		);
		expect(() => prepareMessage({ ...named, body: [{ name: 'title', value: { a: 1 } }] })).toThrow(
			'is an object, not text',
		);
		expect(() => prepareMessage({ ...named, stopButton: { index: 12, payload: 'STOP' } })).toThrow(
			'Stop button index',
		);
		expect(() => prepareMessage({ mode: 'text', text: ' ' })).toThrow('The message text is empty');
		expect(() => prepareMessage({ mode: 'text', text: 'x'.repeat(4097) })).toThrow('at most 4096');
		expect(() => prepareMessage(named)({ ...recipient, phone: undefined })).toThrow(
			'Gast_0001 has no phone number',
		);
	});
});

describe('broadcast key', () => {
	it('prefers the expression, then guid, then link, then a content hash', () => {
		expect(broadcastKeyFor({ explicit: ' mine ', item: { guid: 'g' }, message: named })).toBe(
			'mine',
		);
		expect(broadcastKeyFor({ explicit: '', item: { guid: 'g', link: 'l' }, message: named })).toBe(
			'guid:g',
		);
		expect(broadcastKeyFor({ item: { link: 'https://x/1' }, message: named })).toBe(
			'link:https://x/1',
		);
		const hash = broadcastKeyFor({ item: {}, message: named });
		expect(hash).toMatch(/^sha256:[0-9a-f]{64}$/);
		expect(broadcastKeyFor({ item: {}, message: { ...named } })).toBe(hash);
		expect(
			broadcastKeyFor({
				item: {},
				message: { ...named, body: [{ name: 'title', value: 'other' }] },
			}),
		).not.toBe(hash);
	});
});
