/**
 * Finds a phone number in text in every form we know it can leak in: plain digits, the last eight
 * digits (a national form), and base64 of the digits at each byte alignment (Meta's wamids carry the
 * number that way).
 */
export function phoneForms(digits: string): string[] {
	const forms = new Set<string>([digits, digits.slice(-8)]);
	for (let pad = 0; pad < 3; pad++) {
		const encoded = Buffer.concat([Buffer.alloc(pad), Buffer.from(digits, 'ascii')]).toString(
			'base64',
		);
		// Drop characters that also depend on neighbouring bytes: 4 chars per 3 bytes.
		const start = Math.ceil((pad * 4) / 3) + (pad ? 1 : 0);
		const usableBytes = Math.floor((pad + digits.length) / 3) * 3;
		const core = encoded.slice(start, (usableBytes / 3) * 4);
		if (core.length >= 8) {
			forms.add(core);
			forms.add(core.replace(/\+/g, '-').replace(/\//g, '_'));
		}
	}
	return [...forms];
}

export function findPhoneLeaks(text: string, phones: string[]): string[] {
	return phones.flatMap((phone) =>
		phoneForms(phone)
			.filter((form) => text.includes(form))
			.map((form) => `${phone} as "${form}"`),
	);
}
