import type { Simulator } from '../../simulator';

export interface ApiAnswer {
	status: number;
	body: {
		messages?: Array<{ id: string; message_status: string }>;
		contacts?: Array<{ input: string; wa_id: string }>;
		error?: { code: number; message: string; type: string; error_data?: { details: string } };
	};
}

export async function send(
	sim: Simulator,
	body: unknown,
	options: { token?: string; phoneNumberId?: string; signal?: AbortSignal } = {},
): Promise<ApiAnswer> {
	const id = options.phoneNumberId ?? sim.config.phoneNumberId;
	const response = await fetch(`${sim.baseUrl}/v24.0/${id}/messages`, {
		method: 'POST',
		headers: {
			authorization: `Bearer ${options.token ?? sim.config.accessToken}`,
			'content-type': 'application/json',
		},
		body: JSON.stringify(body),
		signal: options.signal,
	});
	return { status: response.status, body: (await response.json()) as ApiAnswer['body'] };
}

export function text(to: string, body = 'Hallo'): unknown {
	return {
		messaging_product: 'whatsapp',
		recipient_type: 'individual',
		to,
		type: 'text',
		text: { preview_url: false, body },
	};
}

export function announcement(
	to: string,
	title: string,
	link = 'https://musterdorf.example/news/1',
	language = 'de',
): unknown {
	return {
		messaging_product: 'whatsapp',
		to,
		type: 'template',
		template: {
			name: 'civic_announcement',
			language: { code: language },
			components: [
				{
					type: 'body',
					parameters: [
						{ type: 'text', parameter_name: 'title', text: title },
						{ type: 'text', parameter_name: 'link', text: link },
					],
				},
			],
		},
	};
}

/** A clock tests move by hand. */
export function manualClock(start = Date.UTC(2026, 10, 22, 9, 0, 0)) {
	let now = start;
	return { now: () => now, advance: (ms: number) => (now += ms) };
}
