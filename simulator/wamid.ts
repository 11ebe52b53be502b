/**
 * Message IDs shaped like Meta's: base64 of a small binary record that carries the other party's
 * number in clear digits (decode a real `wamid.HBgL…` and the number is there). This makes a wamid
 * personal data, and the simulator reproduces it so tests catch a wamid leaking a number.
 */
export function makeWamid(counterpartDigits: string, serial: number): string {
	const id = serial.toString(16).toUpperCase().padStart(18, '0');
	const record = Buffer.concat([
		Buffer.from([0x1c, 0x18, counterpartDigits.length]),
		Buffer.from(counterpartDigits, 'ascii'),
		Buffer.from([0x15, 0x02, 0x00, 0x11, 0x18, 0x12]),
		Buffer.from(id, 'ascii'),
		Buffer.from([0x00]),
	]);
	return `wamid.${record.toString('base64')}`;
}
