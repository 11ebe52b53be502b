/**
 * `npm run citizen -- <command>`: play a citizen against a running sandbox. Messages go through
 * the simulator exactly as Meta would deliver them (signed webhooks to the trigger).
 */
import { latestKeptExecutionId, untilExecutionsFinished } from './n8n/executions';
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
	const { n8nUrl, n8nCookie, subscriptionsWorkflowId: workflow } = state;
	const before = (await messagesTo(state, number)).length;
	const lastExecution = await latestKeptExecutionId(n8nUrl, n8nCookie, workflow);
	const response = await fetch(`${state.simulatorUrl}/_sim/citizen`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({ from: number, text }),
	});
	const answer = (await response.json()) as { delivery?: { status: number | string } };
	console.log(
		`${number} → "${text}" (webhook answered ${answer.delivery?.status ?? response.status})`,
	);
	// The trigger answers at once and the workflow runs after. It has run once it sent a reply or
	// left an execution behind (a question waits for staff; a failure is kept); then wait for it
	// to finish, so every reply is in. The limit only ends a hang.
	const deadline = Date.now() + 60_000;
	let started = false;
	while (!started && Date.now() < deadline) {
		started =
			(await messagesTo(state, number)).length > before ||
			(await latestKeptExecutionId(n8nUrl, n8nCookie, workflow)) > lastExecution;
		if (!started) await new Promise((r) => setTimeout(r, 250));
	}
	const finished = started && (await untilExecutionsFinished(n8nUrl, n8nCookie, workflow, 60_000));
	const messages = (await messagesTo(state, number)).slice(before);
	if (messages.length > 0) {
		console.log('Received:');
		messages.forEach(show);
	}
	if (!finished) {
		console.log('n8n is still working on it (a busy machine?); check later with `inbox`.');
	} else if (messages.length === 0) {
		console.log('No reply: a question waits for staff (see the sandbox terminal).');
	}
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
