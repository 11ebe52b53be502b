/**
 * A tiny SMTP server on loopback that accepts every mail and hands it over, for the sandbox:
 * n8n's "send and wait" e-mail to staff lands here, and the sandbox prints its Respond link so
 * a newcomer can answer a citizen's question in the browser. Plain SMTP, no TLS, no auth.
 */
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';

export interface ReceivedMail {
	from: string;
	to: string[];
	subject: string;
	/** Decoded body (quoted-printable undone), HTML as sent. */
	body: string;
	/** Links in the body (the send-and-wait Respond link among them). */
	links: string[];
}

export interface MailSink {
	port: number;
	mails: ReceivedMail[];
	stop(): Promise<void>;
}

function decodeQuotedPrintable(text: string): string {
	const bytes = text
		.replace(/=\r?\n/g, '')
		.replace(/=([0-9A-F]{2})/gi, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
	return Buffer.from(bytes, 'latin1').toString('utf8');
}

function decodeHeader(value: string): string {
	return value.replace(/=\?utf-8\?([QB])\?([^?]*)\?=/gi, (_, enc: string, data: string) =>
		enc.toUpperCase() === 'B'
			? Buffer.from(data, 'base64').toString('utf8')
			: decodeQuotedPrintable(data.replace(/_/g, ' ')),
	);
}

export function parseMail(raw: string, from: string, to: string[]): ReceivedMail {
	const split = raw.indexOf('\r\n\r\n');
	const headers = raw.slice(0, split).replace(/\r\n[ \t]+/g, ' ');
	const subject = decodeHeader(/^Subject: (.*)$/im.exec(headers)?.[1] ?? '');
	const body = decodeQuotedPrintable(raw.slice(split + 4));
	const links = [...body.matchAll(/href="([^"]+)"/g)].map((m) => m[1].replace(/&amp;/g, '&'));
	return { from, to, subject, body, links };
}

function session(socket: Socket, onMail: (mail: ReceivedMail) => void): void {
	let buffer = '';
	let from = '';
	let to: string[] = [];
	let data: string | undefined;
	const reply = (line: string) => socket.write(`${line}\r\n`);
	reply('220 sandbox-mail ready');
	socket.on('data', (chunk: Buffer) => {
		buffer += chunk.toString('latin1');
		for (;;) {
			if (data !== undefined) {
				const end = buffer.indexOf('\r\n.\r\n');
				if (end < 0) return;
				data += buffer.slice(0, end);
				buffer = buffer.slice(end + 5);
				const raw = Buffer.from(data.replace(/^\.\./gm, '.'), 'latin1').toString('latin1');
				onMail(parseMail(raw, from, to));
				data = undefined;
				reply('250 OK: queued');
				continue;
			}
			const newline = buffer.indexOf('\r\n');
			if (newline < 0) return;
			const line = buffer.slice(0, newline);
			buffer = buffer.slice(newline + 2);
			switch (line.slice(0, 4).toUpperCase()) {
				case 'EHLO':
				case 'HELO':
					reply('250 sandbox-mail');
					break;
				case 'MAIL':
					from = line.slice(10).replace(/[<>]/g, '').trim();
					reply('250 OK');
					break;
				case 'RCPT':
					to.push(line.slice(8).replace(/[<>]/g, '').trim());
					reply('250 OK');
					break;
				case 'DATA':
					data = '';
					reply('354 End data with <CR><LF>.<CR><LF>');
					break;
				case 'RSET':
					from = '';
					to = [];
					reply('250 OK');
					break;
				case 'QUIT':
					reply('221 Bye');
					socket.end();
					break;
				default:
					reply('250 OK');
			}
		}
	});
	socket.on('error', () => socket.destroy());
}

export async function startMailSink(
	onMail: (mail: ReceivedMail) => void,
	port = 0,
): Promise<MailSink> {
	const mails: ReceivedMail[] = [];
	const server: Server = createServer((socket) =>
		session(socket, (mail) => {
			mails.push(mail);
			onMail(mail);
		}),
	);
	await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
	return {
		port: (server.address() as AddressInfo).port,
		mails,
		stop: () => new Promise((resolve) => server.close(() => resolve())),
	};
}
