import { ConfigError } from '../errors';
import type { Language } from '../store/types';
import { LANGUAGES } from './keywords';

/** Every situation that gets an automatic reply. */
export type ReplyKind =
	| 'subscribed'
	| 'alreadySubscribed'
	| 'unsubscribed'
	| 'notSubscribed'
	| 'info'
	| 'infoNotSubscribed'
	| 'help';
export const REPLY_KINDS: ReplyKind[] = [
	'subscribed',
	'alreadySubscribed',
	'unsubscribed',
	'notSubscribed',
	'info',
	'infoNotSubscribed',
	'help',
];

export type ReplyTexts = Record<Language, Record<ReplyKind, string>>;

/** Placeholders: {pseudonym}, {since} (date of consent), {keyword}, {textVersion}, {service}. */
export const DEFAULT_REPLY_TEXTS: ReplyTexts = {
	de: {
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
	sl: {
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
	en: {
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
};

export interface ReplyOverride {
	language: Language;
	kind: ReplyKind;
	text: string;
}

/** The defaults with the configured texts laid over them. */
export function replyTexts(overrides: ReplyOverride[] = []): ReplyTexts {
	const texts = Object.fromEntries(
		LANGUAGES.map((l) => [l, { ...DEFAULT_REPLY_TEXTS[l] }]),
	) as ReplyTexts;
	for (const { language, kind, text } of overrides) {
		if (!LANGUAGES.includes(language))
			throw new ConfigError(`A reply text has an unknown language: use ${LANGUAGES.join(', ')}`);
		if (!REPLY_KINDS.includes(kind))
			throw new ConfigError(`A reply text has an unknown kind: use ${REPLY_KINDS.join(', ')}`);
		if (!text?.trim())
			throw new ConfigError(
				`The reply text for "${kind}" in "${language}" is empty: enter a text, or remove that language's reply texts to use the defaults`,
			);
		texts[language][kind] = text;
	}
	return texts;
}

/** Fills `{name}` placeholders; unknown ones stay visible so a typo shows in the reply. */
export function fillReply(template: string, values: Record<string, string>): string {
	return template.replace(/\{(\w+)\}/g, (all, name: string) => values[name] ?? all);
}
