/**
 * Alerts for staff in a real n8n 2.41.1: every exported workflow names the exported error
 * workflow (imported with its id kept), so when an announcement aborts, the CMS gets a defined
 * answer and staff get an e-mail with the reason, the workflow, the failed node and a link to the
 * execution, without a phone number. Also: the staff question e-mail and its Respond form come in
 * the language the workflow's one setting chooses (German as exported), rendered by n8n itself.
 */
import { findPhoneLeaks } from '../support/privacy';
import {
	eventually,
	executionsFinished,
	failedExecutions,
	startEnvironment,
	type E2eEnvironment,
} from './support/environment';

const ANNA = '4915730164829';
const BORIS = '4917682017453';
const ALL = [ANNA, BORIS];

describe('alerts for staff in a real n8n', () => {
	let env: E2eEnvironment;

	beforeAll(async () => {
		env = await startEnvironment();
	});

	afterAll(async () => {
		await env?.stop();
	});

	async function postCms(body: unknown) {
		const response = await fetch(env.cmsUrl, {
			method: 'POST',
			headers: {
				'content-type': 'application/json',
				[env.cmsHeader.name.toLowerCase()]: env.cmsHeader.value,
			},
			body: JSON.stringify(body),
		});
		return { status: response.status, body: (await response.json()) as Record<string, unknown> };
	}

	const templatesWith = (to: string, needle: string) =>
		env.sim.messagesTo(to).filter((m) => m.type === 'template' && (m.text ?? '').includes(needle));

	it('citizens subscribe', async () => {
		// One after the other, so Anna is Gast_0001 and Boris Gast_0002.
		for (const citizen of ALL) {
			await env.sim.citizenSends({ from: citizen }, { text: 'Start' });
			await eventually(`the confirmation to ${citizen.slice(0, 4)}…`, () =>
				env.sim.messagesTo(citizen).length > 0 ? true : undefined,
			);
		}
	});

	it('an aborted CMS announcement is answered 502 with the reason and key, and staff get an alert e-mail without numbers', async () => {
		const { accessToken } = env.sim.config;
		// The access token is revoked on Meta's side (code 190): every send would fail, so the
		// broadcast aborts instead of trying everyone.
		env.sim.configure({ accessToken: 'revoked-on-meta-side' });
		const mailsBefore = env.mail.mails.length;
		const post = {
			id: 'cms-2026-201',
			title: 'Hochwasserwarnung Mühlbach',
			link: 'https://musterdorf.example/aktuelles/hochwasser',
		};
		const answer = await postCms(post);
		// Fixed on Meta's side again (the CMS's second try comes below).
		env.sim.configure({ accessToken });
		expect(answer.status).toBe(502);
		expect(answer.body).toEqual({
			key: 'cms:cms-2026-201',
			error: expect.stringMatching(/^Broadcast "cms:cms-2026-201" aborted after 0 sent: /),
		});
		const reason = String(answer.body.error);

		const alert = await eventually('the alert e-mail', () =>
			env.mail.mails.slice(mailsBefore).find((m) => m.subject.includes('CMS Announcements')),
		);
		// n8n dispatches the error workflow after the failed run is saved: it is over by now.
		await executionsFinished(env, 'civicCmsAnnouncements');
		const [failed] = await failedExecutions(env, 'civicCmsAnnouncements');
		expect(alert.to).toEqual(['buergerservice@musterdorf.example']);
		expect(alert.subject).toBe('Fehler: Civic Broadcast: CMS Announcements');
		expect(alert.body).toContain(
			'Der Workflow „Civic Broadcast: CMS Announcements“ ist fehlgeschlagen.',
		);
		expect(alert.body).toContain(`Grund: ${reason}`);
		expect(alert.body).toContain('Fehlgeschlagener Knoten: Announcement Not Sent');
		expect(alert.body).toContain(
			`Ausführung: ${env.n8n.baseUrl}/workflow/civicCmsAnnouncements/executions/${failed.id}`,
		);
		expect(failed.error).toContain('aborted after 0 sent');
		expect(findPhoneLeaks(`${alert.subject}\n${alert.body}\n${failed.error}`, ALL)).toEqual([]);
		for (const citizen of ALL) expect(templatesWith(citizen, 'Hochwasserwarnung')).toHaveLength(0);

		// The CMS posts the same id again: it goes out once to everyone.
		const again = await postCms(post);
		expect(again.status).toBe(200);
		expect(again.body).toMatchObject({ recipients: 2, sent: 2, failed: 0 });
		for (const citizen of ALL) expect(templatesWith(citizen, 'Hochwasserwarnung')).toHaveLength(1);
	});

	it('the staff question e-mail and its Respond form are in the language set in Staff Language (German as exported)', async () => {
		const mailsBefore = env.mail.mails.length;
		const before = env.sim.messagesTo(BORIS).length;
		await env.sim.citizenSends({ from: BORIS }, { text: 'Wo bekomme ich einen Biomüll-Eimer?' });
		const mail = await eventually('the staff e-mail', () =>
			env.mail.mails.slice(mailsBefore).find((m) => m.subject.startsWith('WhatsApp-Frage')),
		);
		expect(mail.subject).toBe('WhatsApp-Frage von Gast_0002');
		expect(mail.body).toContain('Gast_0002 schreibt (de):');
		expect(mail.body).toContain('Ihre Antwort geht per WhatsApp zurück');
		expect(mail.body).toContain('Antworten');
		// No "sent automatically with n8n" line in English under the German text.
		expect(mail.body).not.toContain('automatically');
		const link = mail.links.find((l) => l.includes('/webhook-waiting/')) as string;
		// The form is built when it is opened, from the waiting execution (409 until it waits).
		const html = await eventually('the answer form', async () => {
			const response = await fetch(link);
			return response.status === 200 ? response.text() : undefined;
		});
		for (const text of ['Antwort an Bürger:in', 'Ihre Antwort', 'Per WhatsApp senden'])
			expect(html).toContain(text);
		const form = new FormData();
		form.append('field-0', 'Beim Bürgerbüro, Zimmer 3.');
		expect((await fetch(link, { method: 'POST', body: form })).status).toBe(200);
		const messages = await eventually('the staff answer', () =>
			env.sim.messagesTo(BORIS).length > before ? env.sim.messagesTo(BORIS) : undefined,
		);
		expect(messages.at(-1)).toMatchObject({ type: 'text', text: 'Beim Bürgerbüro, Zimmer 3.' });
	});
});
