import type { LanguageEntry } from './catalogue';

/**
 * The languages the service speaks. This is the one place to add a language: one entry, and the
 * keyword parser, the replies, the editor's option lists, pseudonym prefixes, statistics, template
 * languages and import headers all follow (see catalogue.ts for what each field does).
 */
export const BUILT_IN_LANGUAGES = [
	{
		code: 'de',
		label: 'German',
		locale: 'de-DE',
		templateLanguage: 'de',
		pseudonymPrefix: 'Gast_',
		keywords: {
			join: ['anmelden', 'anmeldung', 'starten'],
			leave: ['stopp', 'abmelden', 'abmeldung', 'loschen', 'loeschen', 'austragen'],
			info: ['daten', 'meine daten', 'auskunft'],
			help: ['hilfe'],
		},
		replies: {
			subscribed:
				'Willkommen bei {service}! Sie erhalten ab jetzt unsere Mitteilungen. Ihre Nummer ist verschlüsselt unter dem Namen {pseudonym} gespeichert. Mit STOP melden Sie sich jederzeit ab, mit INFO sehen Sie Ihre Daten.',
			alreadySubscribed:
				'Sie sind bereits angemeldet ({pseudonym}). Mit STOP melden Sie sich ab, mit INFO sehen Sie Ihre Daten.',
			unsubscribed:
				'Sie sind abgemeldet. Ihre Nummer wurde sofort gelöscht. Mit START können Sie sich jederzeit wieder anmelden.',
			notSubscribed:
				'Sie sind nicht angemeldet; wir speichern keine Nummer von Ihnen. Mit START melden Sie sich an.',
			info: 'Gespeichert ist: Name {pseudonym}, Ihre Nummer (verschlüsselt), Anmeldung am {since} mit „{keyword}“, Informationstext Version {textVersion}. Mit STOP wird alles gelöscht.',
			infoNotSubscribed:
				'Über Sie ist nichts gespeichert: Sie sind nicht angemeldet. Mit START melden Sie sich an.',
			help: 'Dies ist der WhatsApp-Dienst von {service}. START: anmelden, STOP: abmelden und Nummer löschen, INFO: gespeicherte Daten. Andere Nachrichten lesen unsere Mitarbeitenden.',
		},
		importHeaders: {
			phone: ['telefon', 'telefonnummer', 'handy', 'handynummer', 'mobil', 'mobilnummer', 'nummer'],
			name: ['name', 'vorname', 'kontakt'],
			language: ['sprache'],
		},
	},
	{
		code: 'sl',
		label: 'Slovenian',
		locale: 'sl-SI',
		templateLanguage: 'sl',
		pseudonymPrefix: 'Gost_',
		keywords: {
			join: ['prijava', 'prijavi', 'prijavim', 'zacni'],
			leave: ['odjava', 'odjavi', 'odjavim', 'izbrisi'],
			info: ['podatki', 'moji podatki'],
			help: ['pomoc'],
		},
		replies: {
			subscribed:
				'Dobrodošli v storitvi {service}! Od zdaj boste prejemali naša obvestila. Vaša številka je šifrirano shranjena pod imenom {pseudonym}. Z ODJAVA se kadar koli odjavite, s PODATKI vidite svoje podatke.',
			alreadySubscribed:
				'Že ste prijavljeni ({pseudonym}). Z ODJAVA se odjavite, s PODATKI vidite svoje podatke.',
			unsubscribed:
				'Odjavljeni ste. Vaša številka je bila takoj izbrisana. S PRIJAVA se lahko kadar koli znova prijavite.',
			notSubscribed: 'Niste prijavljeni; vaše številke ne hranimo. S PRIJAVA se prijavite.',
			info: 'Shranjeno je: ime {pseudonym}, vaša številka (šifrirano), prijava dne {since} z „{keyword}“, različica obvestila {textVersion}. Z ODJAVA se vse izbriše.',
			infoNotSubscribed: 'O vas ni shranjeno nič: niste prijavljeni. S PRIJAVA se prijavite.',
			help: 'To je storitev WhatsApp {service}. PRIJAVA: prijava, ODJAVA: odjava in izbris številke, PODATKI: shranjeni podatki. Druga sporočila preberejo naši sodelavci.',
		},
		importHeaders: {
			phone: ['telefonska', 'telefonska stevilka', 'stevilka', 'gsm'],
			name: ['ime'],
			language: ['jezik'],
		},
	},
	{
		code: 'en',
		label: 'English',
		locale: 'en-GB',
		templateLanguage: 'en',
		pseudonymPrefix: 'Guest_',
		keywords: {
			join: ['join', 'subscribe', 'unstop'],
			leave: ['unsubscribe', 'cancel', 'end', 'quit', 'stopall', 'revoke', 'optout', 'opt out'],
			info: ['data', 'my data'],
			help: ['help'],
		},
		replies: {
			subscribed:
				'Welcome to {service}! You will now receive our announcements. Your number is stored encrypted under the name {pseudonym}. Send STOP to leave at any time, INFO to see your data.',
			alreadySubscribed:
				'You are already subscribed ({pseudonym}). Send STOP to leave, INFO to see your data.',
			unsubscribed:
				'You have left. Your number was deleted at once. Send START to join again at any time.',
			notSubscribed: 'You are not subscribed; we keep no number of yours. Send START to join.',
			info: 'Stored about you: the name {pseudonym}, your number (encrypted), joined on {since} with "{keyword}", information text version {textVersion}. Send STOP to delete everything.',
			infoNotSubscribed: 'Nothing is stored about you: you are not subscribed. Send START to join.',
			help: 'This is the WhatsApp service of {service}. START: join, STOP: leave and delete your number, INFO: your stored data. Other messages are read by our staff.',
		},
		importHeaders: {
			phone: [
				'phone',
				'phone number',
				'mobile',
				'mobile phone',
				'cell',
				'tel',
				'telephone',
				'number',
			],
			name: ['name', 'display name', 'full name', 'first name', 'given name', 'contact'],
			language: ['language'],
		},
	},
] as const satisfies readonly LanguageEntry[];

/** A language the service speaks: one of the codes above. */
export type Language = (typeof BUILT_IN_LANGUAGES)[number]['code'];

/**
 * Keywords seen in the field (municipal pages, the Slovenian ODJAVA convention, Twilio's SMS
 * conventions) that belong to no one language: the configured default language answers them.
 */
export const SHARED_KEYWORDS = {
	join: ['start'],
	leave: ['stop'],
	info: ['info'],
	help: [],
} as const satisfies LanguageEntry['keywords'];

/** Header words any import may use, whatever its language (Google's export, WhatsApp's field). */
export const SHARED_IMPORT_HEADERS = {
	phone: ['phone 1 - value', 'wa_id'],
	name: ['pseudonym'],
	language: ['lang'],
} as const satisfies LanguageEntry['importHeaders'];
