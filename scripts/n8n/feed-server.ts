/**
 * A municipal news feed served over real HTTP on loopback, for the RSS Feed Trigger to poll.
 * Tests put items in and change them; every request gets the current state as RSS 2.0.
 * The sandbox adds items over HTTP: `POST /_feed/items {"title": "…", "link": "…"}`.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FeedItem {
	guid: string;
	title: string;
	link: string;
	pubDate: Date;
	description?: string;
}

export interface FeedServer {
	url: string;
	items: FeedItem[];
	/** How many times the feed was fetched (shows the trigger is polling). */
	requests(): number;
	stop(): Promise<void>;
}

const escapeXml = (text: string) =>
	text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export function renderRss(items: readonly FeedItem[]): string {
	const entries = items
		.map(
			(item) => `    <item>
      <title>${escapeXml(item.title)}</title>
      <link>${escapeXml(item.link)}</link>
      <guid isPermaLink="false">${escapeXml(item.guid)}</guid>
      <pubDate>${item.pubDate.toUTCString()}</pubDate>
      <description>${escapeXml(item.description ?? '')}</description>
    </item>`,
		)
		.join('\n');
	return `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0">
  <channel>
    <title>Gemeinde Musterdorf – Aktuelles</title>
    <link>https://musterdorf.example/</link>
    <description>Neuigkeiten aus der Gemeinde</description>
${entries}
  </channel>
</rss>
`;
}

function addItemFromRequest(req: IncomingMessage, res: ServerResponse, items: FeedItem[]): void {
	let raw = '';
	req.on('data', (chunk: Buffer) => (raw += chunk.toString()));
	req.on('end', () => {
		try {
			const body = JSON.parse(raw) as { title?: string; link?: string; guid?: string };
			if (!body.title) throw new Error('Send {"title": "…", "link": "…"}');
			const n = items.length + 1;
			const slug = body.title
				.toLowerCase()
				.normalize('NFKD')
				.replace(/[^a-z0-9]+/g, '-')
				.replace(/^-|-$/g, '');
			const link = body.link || `https://musterdorf.example/aktuelles/${slug}`;
			// Dated a minute ahead: the RSS Feed Trigger emits items newer than the newest it saw.
			const item = {
				guid: body.guid || link,
				title: body.title,
				link,
				pubDate: new Date(Date.now() + 60_000 * n),
			};
			items.push(item);
			res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(item));
		} catch (error) {
			res
				.writeHead(400, { 'content-type': 'application/json' })
				.end(JSON.stringify({ error: String(error) }));
		}
	});
}

/** A gazette's listing page, for gazettes without a feed (the workflow's Extract Entries node). */
export function renderListing(items: readonly FeedItem[]): string {
	const entries = items
		.map(
			(item) => `      <li><span class="date">${item.pubDate.toISOString().slice(0, 10)}</span>
        <a class="gazette-entry" href="${escapeXml(new URL(item.link).pathname)}">${escapeXml(item.title)}</a></li>`,
		)
		.join('\n');
	return `<!doctype html>
<html lang="de"><head><meta charset="utf-8"><title>Amtsblatt Musterkreis</title></head>
<body><h1>Amtsblatt Musterkreis</h1>
    <ul class="gazette">
${entries}
    </ul>
</body></html>
`;
}

export async function startFeedServer(
	path = '/aktuelles/rss.xml',
	port = 0,
	format: 'rss' | 'listing' = 'rss',
): Promise<FeedServer> {
	const items: FeedItem[] = [];
	let requests = 0;
	const server: Server = createServer((req, res) => {
		if (req.method === 'POST' && req.url === '/_feed/items') {
			addItemFromRequest(req, res, items);
			return;
		}
		if (req.url !== path) {
			res.writeHead(404).end();
			return;
		}
		requests += 1;
		if (format === 'listing') {
			res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
			res.end(renderListing(items));
			return;
		}
		res.writeHead(200, { 'content-type': 'application/rss+xml; charset=utf-8' });
		res.end(renderRss(items));
	});
	await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
	const bound = (server.address() as AddressInfo).port;
	return {
		url: `http://127.0.0.1:${bound}${path}`,
		items,
		requests: () => requests,
		stop: () => new Promise((resolve) => server.close(() => resolve())),
	};
}
