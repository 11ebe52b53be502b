/**
 * `npm run citizen -- <command>`: play a citizen against a running sandbox. Messages go through
 * the simulator exactly as Meta would deliver them (signed webhooks to the trigger).
 */
import { readSandboxState, type SandboxState } from './sandbox/state';

const HELP = `Play a citizen against the running sandbox (npm run sandbox):

  npm run citizen -- start <number>          send "Start" (subscribe)
  npm run citizen -- stop <number>           send "Stop" (unsubscribe, deletes the number)
  npm run citizen -- info <number>           send "Info" (what is stored about me)
  npm run citizen -- say <number> <text…>    send any text (a question goes to staff by e-mail)
  npm run citizen -- inbox <number>          list what this number received
  npm run citizen -- news <title…>           publish a news-feed item (announced within a minute)

<number>: international format without + or 00, e.g. 4915112345678 (DE), 38641234567 (SI).`;

interface SimMessage {
	to: string;
	type: string;
	text?: string;
	templateName?: string;
	at: number;
}

async function messagesTo(state: SandboxState, number: string): Promise<SimMessage[]> {
	const response = await fetch(`${state.simulatorUrl}/_sim/messages?to=${number}`);
	return ((await response.json()) as { messages: SimMessage[] }).messages;
}

function show(message: SimMessage): void {
	const time = new Date(message.at).toLocaleTimeString();
	const kind = message.type === 'template' ? `template ${message.templateName}` : message.type;
	console.log(`  [${time}] (${kind}) ${message.text ?? ''}`);
}

function checkNumber(number: string | undefined): string {
	if (!number || !/^\d{8,15}$/.test(number)) {
		throw new Error(
			`"${number ?? ''}" is not a number in international format without + (e.g. 4915112345678)`,
		);
	}
	return number;
}

async function say(state: SandboxState, number: string, text: string): Promise<void> {
	const before = (await messagesTo(state, number)).length;
	const response = await fetch(`${state.simulatorUrl}/_sim/citizen`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({ from: number, text }),
	});
	const answer = (await response.json()) as { delivery?: { status: number | string } };
	console.log(
		`${number} → "${text}" (webhook answered ${answer.delivery?.status ?? response.status})`,
	);
	// Replies come from the workflow within a second or two; a question waits for staff.
	for (let i = 0; i < 20; i++) {
		await new Promise((r) => setTimeout(r, 250));
		const messages = await messagesTo(state, number);
		if (messages.length > before) {
			console.log('Received:');
			messages.slice(before).forEach(show);
			return;
		}
	}
	console.log(
		'No reply yet (a question waits for staff: see the sandbox terminal). Check later with `inbox`.',
	);
}

async function main(): Promise<void> {
	const [command, ...rest] = process.argv.slice(2);
	if (!command || command === 'help' || command === '--help') {
		console.log(HELP);
		return;
	}
	const state = readSandboxState();
	switch (command) {
		case 'start':
			return say(state, checkNumber(rest[0]), 'Start');
		case 'stop':
			return say(state, checkNumber(rest[0]), 'Stop');
		case 'info':
			return say(state, checkNumber(rest[0]), 'Info');
		case 'say': {
			const text = rest.slice(1).join(' ');
			if (!text)
				throw new Error('What should the citizen say? npm run citizen -- say <number> "text"');
			return say(state, checkNumber(rest[0]), text);
		}
		case 'inbox': {
			const messages = await messagesTo(state, checkNumber(rest[0]));
			console.log(`${rest[0]} received ${messages.length} message(s):`);
			messages.forEach(show);
			return;
		}
		case 'news': {
			const title = rest.join(' ');
			if (!title)
				throw new Error('Give the news item a title: npm run citizen -- news "Straßensperre"');
			const feed = new URL(state.newsFeedUrl);
			const response = await fetch(`${feed.origin}/_feed/items`, {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify({ title }),
			});
			console.log(
				`News item added (${response.status}); the News Feed workflow picks it up within a minute.`,
			);
			return;
		}
		default:
			throw new Error(`Unknown command "${command}"\n\n${HELP}`);
	}
}

main().catch((error: unknown) => {
	console.error(error instanceof Error ? error.message : error);
	process.exit(1);
});
