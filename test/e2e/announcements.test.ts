/**
 * The exported workflows in a real n8n 2.41.1, driven through the simulator as Meta would drive
 * them: citizens subscribe, receive news-feed and CMS announcements, leave, ask staff a question;
 * a forged webhook changes nothing; afterwards no phone number is in any database file.
 * The scenarios build on each other and run in order.
 *
 * Why this file is long: the scenarios build on each other in one real n8n, so they stay
 * in one file and run in order.
 */
import { derivePrivacyKeys } from '../../nodes/core/privacy/keys';
import { openStore, type Store } from '../../nodes/core/store';
import {
	buildContact,
	buildEnvelope,
	buildInboundMessage,
	buildMessagesChange,
	serializeLikeMeta,
	signBody,
} from '../../simulator';
import { findPhoneLeaks } from '../support/privacy';
import {
	eventually,
	executionsFinished,
	failedExecutions,
	n8nDatabaseBytes,
	startEnvironment,
	storeBytes,
	type E2eEnvironment,
} from './support/environment';

const STAFF_ANSWER = 'Die Sperrmüllabfuhr kommt am Dienstag, 8. Dezember.';

// Unusual digit runs, so a byte search cannot hit them by chance.
const ANNA = '4915790317264';
const BORIS = '4917623981457';
const CVETKA = '38640718293';
const DIETER = '4915206654139';
const EMIL = '4917055512873';
const ALL = [ANNA, BORIS, CVETKA, DIETER, EMIL];

const hour = 3_600_000;

describe('exported workflows in a real n8n', () => {
	let env: E2eEnvironment;
	let store: Store;

	beforeAll(async () => {
		env = await startEnvironment();
		store = await openStore({
			backend: 'sqlite',
			path: env.consentStorePath,
			keys: derivePrivacyKeys(env.dataProtectionKey),
		});
	});

	afterAll(async () => {
		await store?.close();
		await env?.stop();
	});

	const texts = (to: string) => env.sim.messagesTo(to).map((m) => m.text ?? '');
	const templatesWith = (to: string, needle: string) =>
		env.sim.messagesTo(to).filter((m) => m.type === 'template' && (m.text ?? '').includes(needle));
	const receivedCount = (to: string, count: number) => () =>
		env.sim.messagesTo(to).length >= count ? env.sim.messagesTo(to) : undefined;

	async function postCms(body: unknown, key: string | null = env.cmsHeader.value) {
		const headers: Record<string, string> = { 'content-type': 'application/json' };
		if (key !== null) headers[env.cmsHeader.name.toLowerCase()] = key;
		const response = await fetch(env.cmsUrl, {
			method: 'POST',
			headers,
			body: JSON.stringify(body),
		});
		return {
			status: response.status,
			body: (await response.json().catch(() => null)) as Record<string, unknown> | null,
		};
	}

	it('"Start" subscribes the citizen and the simulator records a confirmation', async () => {
		await env.sim.citizenSends({ from: ANNA }, { text: 'Start' });
		const [confirmation] = await eventually('Anna’s confirmation', receivedCount(ANNA, 1));
		expect(confirmation.type).toBe('text');
		expect(confirmation.text).toMatch(/Gast_0001/);
		const anna = await store.findByIdentity({ phone: ANNA });
		expect(anna?.pseudonym).toBe('Gast_0001');

		await env.sim.citizenSends({ from: BORIS }, { text: 'Anmelden' });
		await env.sim.citizenSends({ from: CVETKA }, { text: 'Prijava' });
		await eventually('Boris’s confirmation', receivedCount(BORIS, 1));
		await eventually('Cvetka’s confirmation', receivedCount(CVETKA, 1));
		expect(await store.countSubscribers()).toBe(3);
		expect((await store.findByIdentity({ phone: CVETKA }))?.language).toBe('sl');
	});

	it('a new news-feed item reaches every subscriber once as the announcement template; the same item again sends nothing', async () => {
		// Dated ahead: the RSS Feed Trigger emits items newer than the newest it has seen.
		// The gazette gets two publications in the same go; the next test checks them.
		env.gazette.items.push(
			{
				guid: 'amtsblatt-2026-48-3',
				title: 'Bebauungsplan „Am Mühlbach“ der Gemeinde Musterdorf',
				link: 'https://amtsblatt.example/musterkreis/2026/48/3',
				pubDate: new Date(Date.now() + hour),
			},
			{
				guid: 'amtsblatt-2026-48-4',
				title: 'Haushaltssatzung der Gemeinde Nachbarort',
				link: 'https://amtsblatt.example/musterkreis/2026/48/4',
				pubDate: new Date(Date.now() + hour),
			},
		);
		env.news.items.push({
			guid: 'musterdorf-news-101',
			title: 'Straßensperre Hauptstraße ab Montag',
			link: 'https://musterdorf.example/aktuelles/101',
			pubDate: new Date(Date.now() + hour),
		});
		for (const citizen of [ANNA, BORIS, CVETKA]) {
			await eventually(`news announcement to ${citizen.slice(0, 4)}…`, () =>
				templatesWith(citizen, 'Straßensperre Hauptstraße').length ? true : undefined,
			);
		}
		const [first] = templatesWith(ANNA, 'Straßensperre Hauptstraße');
		expect(first?.templateName).toBe('civic_announcement');
		expect(first?.text).toContain('https://musterdorf.example/aktuelles/101');
		// Cvetka subscribed in Slovenian and gets the Slovenian template.
		expect(templatesWith(CVETKA, 'Straßensperre')[0].text).toMatch(/^Novice iz vaše občine/);

		// The same item shows up again (re-dated, same guid) together with a new one: the run that
		// carries the new one carries the old one too; once it has finished, count.
		env.news.items[0] = { ...env.news.items[0], pubDate: new Date(Date.now() + 2 * hour) };
		env.news.items.push({
			guid: 'musterdorf-news-102',
			title: 'Neue Öffnungszeiten im Bürgerbüro',
			link: 'https://musterdorf.example/aktuelles/102',
			pubDate: new Date(Date.now() + 2 * hour),
		});
		for (const citizen of [ANNA, BORIS, CVETKA]) {
			await eventually(`second news item to ${citizen.slice(0, 4)}…`, () =>
				templatesWith(citizen, 'Öffnungszeiten').length ? true : undefined,
			);
		}
		await executionsFinished(env, 'civicRssAnnouncements');
		for (const citizen of [ANNA, BORIS, CVETKA]) {
			expect(templatesWith(citizen, 'Straßensperre Hauptstraße')).toHaveLength(1);
			expect(templatesWith(citizen, 'Öffnungszeiten')).toHaveLength(1);
		}
	});

	it('the gazette feed announces only the municipality’s own publications', async () => {
		for (const citizen of [ANNA, BORIS, CVETKA]) {
			await eventually(`gazette announcement to ${citizen.slice(0, 4)}…`, () =>
				templatesWith(citizen, 'Am Mühlbach').length ? true : undefined,
			);
		}
		// Both publications came in the same poll: once the run that sent one has finished, it has
		// dropped the other.
		await executionsFinished(env, 'civicGazetteAnnouncements');
		for (const citizen of [ANNA, BORIS, CVETKA]) {
			expect(templatesWith(citizen, 'Am Mühlbach')).toHaveLength(1);
			expect(templatesWith(citizen, 'Nachbarort')).toHaveLength(0);
		}
	});

	it('a CMS post is announced to every subscriber and answered with a summary', async () => {
		const { status, body } = await postCms({
			id: 'cms-2026-117',
			title: 'Wasserabschaltung in der Lindenstraße',
			link: 'https://musterdorf.example/aktuelles/wasser',
		});
		expect(status).toBe(200);
		expect(body).toMatchObject({ recipients: 3, sent: 3, failed: 0 });
		expect(JSON.stringify(body)).not.toMatch(/\d{8,}/);
		await executionsFinished(env, 'civicCmsAnnouncements');
		for (const citizen of [ANNA, BORIS, CVETKA])
			expect(templatesWith(citizen, 'Wasserabschaltung')).toHaveLength(1);
	});

	it('a CMS post without the secret header or without a title sends nothing', async () => {
		const before = env.sim.counters().accepted;
		const noKey = await postCms({ title: 'Gefälscht', link: 'https://evil.example/' }, null);
		expect(noKey.status).toBe(403);
		const wrongKey = await postCms({ title: 'Gefälscht', link: 'https://evil.example/' }, 'guess');
		expect(wrongKey.status).toBe(403);
		const noTitle = await postCms({ link: 'https://musterdorf.example/x' });
		expect(noTitle.status).toBe(400);
		expect(String(noTitle.body?.error)).toMatch(/title/);
		// The 400 comes from the workflow (Respond Bad Request), which may run on after answering.
		await executionsFinished(env, 'civicCmsAnnouncements');
		expect(env.sim.counters().accepted).toBe(before);
	});

	it('"Stop" deletes the subscriber, confirms, and the next announcement does not reach them', async () => {
		const before = env.sim.messagesTo(BORIS).length;
		await env.sim.citizenSends({ from: BORIS }, { text: 'Stop' });
		const messages = await eventually('Boris’s goodbye', receivedCount(BORIS, before + 1));
		expect(messages.at(-1)?.type).toBe('text');
		expect(await store.findByIdentity({ phone: BORIS })).toBeUndefined();
		expect(await store.countSubscribers()).toBe(2);

		const { body } = await postCms({
			id: 'cms-2026-118',
			title: 'Gemeinderatssitzung am Donnerstag',
			link: 'https://musterdorf.example/aktuelles/gemeinderat',
		});
		expect(body).toMatchObject({ recipients: 2, sent: 2 });
		await executionsFinished(env, 'civicCmsAnnouncements');
		expect(templatesWith(ANNA, 'Gemeinderatssitzung')).toHaveLength(1);
		expect(templatesWith(CVETKA, 'Gemeinderatssitzung')).toHaveLength(1);
		expect(env.sim.messagesTo(BORIS)).toHaveLength(before + 1);
	});

	it('a citizen’s question reaches staff by e-mail without the number, and the staff answer reaches that citizen', async () => {
		const before = env.sim.messagesTo(ANNA).length;
		const mailsBefore = env.mail.mails.length;
		await env.sim.citizenSends({ from: ANNA }, { text: 'Wann ist die nächste Sperrmüllabfuhr?' });
		const mail = await eventually('the staff e-mail', () => env.mail.mails[mailsBefore]);
		expect(mail.to).toEqual(['buergerservice@musterdorf.example']);
		expect(mail.subject).toContain('Gast_0001');
		expect(mail.body).toContain('Wann ist die nächste Sperrmüllabfuhr?');
		expect(findPhoneLeaks(`${mail.subject}\n${mail.body}`, ALL)).toEqual([]);

		// Staff click "Antworten", get n8n's form, and submit their answer, as a browser would.
		const link = mail.links.find((l) => l.includes('/webhook-waiting/'));
		expect(link).toBeDefined();
		// The mail can arrive a moment before the execution has finished going to sleep (409 till then).
		const form = await eventually('the answer form', async () => {
			const response = await fetch(link as string);
			return response.status === 409
				? undefined
				: { status: response.status, html: await response.text() };
		});
		expect(form.status).toBe(200);
		expect(form.html).toContain('field-0');
		const answer = new FormData();
		answer.append('field-0', STAFF_ANSWER);
		const submitted = await fetch(link as string, { method: 'POST', body: answer });
		expect(submitted.status).toBe(200);

		const messages = await eventually('the staff answer', receivedCount(ANNA, before + 1));
		expect(messages.at(-1)).toMatchObject({ type: 'text', text: STAFF_ANSWER });
		await executionsFinished(env, 'civicSubscriptions');
		expect(texts(CVETKA)).not.toContain(STAFF_ANSWER);
	});

	it('a staff answer after WhatsApp’s 24-hour window has closed is not delivered, and the failed run says why', async () => {
		const before = env.sim.messagesTo(CVETKA).length;
		const mailsBefore = env.mail.mails.length;
		await env.sim.citizenSends({ from: CVETKA }, { text: 'Kdaj je odvoz kosovnih odpadkov?' });
		const mail = await eventually('the staff e-mail', () => env.mail.mails[mailsBefore]);
		const link = mail.links.find((l) => l.includes('/webhook-waiting/')) as string;
		await eventually('the answer form', async () =>
			(await fetch(link)).status === 200 ? true : undefined,
		);
		// Staff answer a day and an hour later on Meta's clock, which decides the window. The clock
		// stays ahead from here on (clocks do not run backwards; the simulator's rate limits rely on it).
		env.clock.offsetMs = 25 * hour;
		const answer = new FormData();
		answer.append('field-0', 'Odvoz je v torek.');
		expect((await fetch(link, { method: 'POST', body: answer })).status).toBe(200);
		const failed = await eventually('the failed run', async () =>
			(await failedExecutions(env, 'civicSubscriptions')).find((run) =>
				run.error.includes('24-hour window'),
			),
		);
		const pseudonym = (await store.findByIdentity({ phone: CVETKA }))?.pseudonym;
		expect(pseudonym).toBeTruthy();
		expect(failed.error).toContain(`The 24-hour window for ${pseudonym} has closed`);
		expect(findPhoneLeaks(failed.error, ALL)).toEqual([]);
		expect(env.sim.messagesTo(CVETKA)).toHaveLength(before);
	});

	it('a forged webhook is refused and changes nothing', async () => {
		const acceptedBefore = env.sim.counters().accepted;
		const subscribersBefore = await store.countSubscribers();
		// A well-formed Meta envelope in which Dieter says "Start", but not signed with the app secret.
		const citizen = { from: DIETER, profileName: 'Dieter' };
		const metadata = {
			display_phone_number: env.sim.config.displayPhoneNumber,
			phone_number_id: env.sim.config.phoneNumberId,
		};
		const message = buildInboundMessage(
			'wamid.forged0000000001',
			citizen,
			{ text: 'Start' },
			Math.floor(Date.now() / 1000),
		);
		const body = serializeLikeMeta(
			buildEnvelope(env.sim.config.wabaId, [
				[buildMessagesChange(metadata, { contacts: [buildContact(citizen)], messages: [message] })],
			]),
		);
		const url = env.sim.config.callbackUrl as string;
		const post = (signature: string | undefined) =>
			fetch(url, {
				method: 'POST',
				headers: {
					'content-type': 'application/json',
					...(signature ? { 'x-hub-signature-256': signature } : {}),
				},
				body,
			}).then((r) => r.status);
		expect(await post(signBody(body, 'not-the-app-secret'))).toBe(401);
		expect(await post(undefined)).toBe(401);

		// Had the forged posts started executions, n8n would have registered them before answering;
		// a real message afterwards is answered, and then every execution of the workflow is over.
		const annaBefore = env.sim.messagesTo(ANNA).length;
		await env.sim.citizenSends({ from: ANNA }, { text: 'Info' });
		await eventually('the Info answer', receivedCount(ANNA, annaBefore + 1));
		await executionsFinished(env, 'civicSubscriptions');
		expect(env.sim.messagesTo(DIETER)).toHaveLength(0);
		expect(await store.findByIdentity({ phone: DIETER })).toBeUndefined();
		expect(await store.countSubscribers()).toBe(subscribersBefore);
		expect(env.sim.counters().accepted).toBe(acceptedBefore + 1);
	});

	it('the gazette listing page (no feed) announces new entries of the municipality once, never old ones to newcomers', async () => {
		const entry = (n: number, title: string) => ({
			guid: `listing-${n}`,
			title,
			link: `https://www.amtsblatt.example/musterkreis/2026/49/${n}`,
			pubDate: new Date(),
		});
		env.listing.items.push(
			entry(1, 'Friedhofssatzung der Gemeinde Musterdorf'),
			entry(2, 'Wasserschutzgebiet Nachbarort'),
		);
		for (const citizen of [ANNA, CVETKA])
			await eventually(`listing entry to ${citizen.slice(0, 4)}…`, () =>
				templatesWith(citizen, 'Friedhofssatzung').length ? true : undefined,
			);

		// Someone joins later; the page still lists the old entry, and a new one appears.
		await env.sim.citizenSends({ from: EMIL }, { text: 'Start' });
		await eventually('Emil’s confirmation', receivedCount(EMIL, 1));
		env.listing.items.push(entry(3, 'Wahlbekanntmachung der Gemeinde Musterdorf'));
		for (const citizen of [ANNA, CVETKA, EMIL])
			await eventually(`new listing entry to ${citizen.slice(0, 4)}…`, () =>
				templatesWith(citizen, 'Wahlbekanntmachung').length ? true : undefined,
			);
		// The schedule runs every 10 s: wait for a moment when none of its runs is in flight.
		await executionsFinished(env, 'civicGazetteListingE2e');
		expect(templatesWith(EMIL, 'Friedhofssatzung')).toHaveLength(0);
		for (const citizen of [ANNA, CVETKA]) {
			expect(templatesWith(citizen, 'Friedhofssatzung')).toHaveLength(1);
			expect(templatesWith(citizen, 'Wahlbekanntmachung')).toHaveLength(1);
		}
		for (const citizen of [ANNA, BORIS, CVETKA, EMIL])
			expect(templatesWith(citizen, 'Nachbarort')).toHaveLength(0);
		const sent = templatesWith(ANNA, 'Wahlbekanntmachung')[0];
		expect(sent.text).toContain('https://www.amtsblatt.example/musterkreis/2026/49/3');
	});

	it('leaves no plaintext phone number in n8n’s database or the consent store', async () => {
		// Stop n8n first: it flushes its SQLite write-ahead log on the way out, and we read every file.
		await env.n8n.stop();
		const files = [...n8nDatabaseBytes(env.n8n), ...storeBytes(env.consentStorePath)];
		expect(files.map((f) => f.file)).toEqual(
			expect.arrayContaining(['database.sqlite', 'consent-store.sqlite']),
		);
		expect(files.reduce((n, f) => n + f.text.length, 0)).toBeGreaterThan(100_000);
		const leaks = files.flatMap((f) =>
			findPhoneLeaks(f.text, ALL).map((leak) => `${f.file}: ${leak}`),
		);
		expect(leaks).toEqual([]);
		// The same search does find the numbers where they are meant to be: the simulator's records.
		expect(findPhoneLeaks(JSON.stringify(env.sim.accepted()), ALL).length).toBeGreaterThan(0);
	});
});
