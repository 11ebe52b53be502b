import { parseArgs } from 'node:util';

import { startSimulator } from './simulator';

const HELP = `WhatsApp Cloud API simulator

  npm run simulator -- [--port 9000] [--rate 80] [--token T] [--phone-number-id ID]
                       [--app-secret S] [--callback-url URL] [--latency MS] [--seed N]
                       [--auto-statuses]

Admin endpoints: GET /_sim/messages?to=…, GET /_sim/counters, GET /_sim/arrivals,
GET /_sim/deliveries,
POST /_sim/citizen {"from":"4915112345678","text":"Start"}, POST /_sim/status,
POST /_sim/configure {…}, POST /_sim/reset.`;

async function main(): Promise<void> {
	const { values } = parseArgs({
		options: {
			port: { type: 'string', default: '9000' },
			host: { type: 'string', default: '127.0.0.1' },
			rate: { type: 'string' },
			token: { type: 'string' },
			'phone-number-id': { type: 'string' },
			'app-secret': { type: 'string' },
			'callback-url': { type: 'string' },
			latency: { type: 'string' },
			seed: { type: 'string' },
			'auto-statuses': { type: 'boolean', default: false },
			help: { type: 'boolean', default: false },
		},
	});
	if (values.help) {
		console.log(HELP);
		return;
	}
	const sim = await startSimulator({
		port: Number(values.port),
		host: values.host,
		rate: values.rate !== undefined ? Number(values.rate) : undefined,
		accessToken: values.token,
		phoneNumberId: values['phone-number-id'],
		appSecret: values['app-secret'],
		callbackUrl: values['callback-url'],
		seed: values.seed !== undefined ? Number(values.seed) : undefined,
		faults: values.latency !== undefined ? { latencyMs: Number(values.latency) } : undefined,
		statuses: { auto: values['auto-statuses'] },
	});
	const c = sim.config;
	console.log(`simulator listening on ${sim.baseUrl}`);
	console.log(
		`  access token: ${c.accessToken}  phone number ID: ${c.phoneNumberId}  app secret: ${c.appSecret}`,
	);
	console.log(
		`  rate: ${c.rate}/s  callback: ${c.callbackUrl ?? '(none; POST /_sim/configure {"callbackUrl": …})'}`,
	);
	const stop = () => {
		void sim.stop().then(() => process.exit(0));
	};
	process.on('SIGINT', stop);
	process.on('SIGTERM', stop);
}

main().catch((error: unknown) => {
	console.error(error instanceof Error ? error.message : error);
	process.exit(1);
});
