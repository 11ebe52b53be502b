import { InputError } from '../errors';

/** One entry of a list written in one transaction failed; `index` says which, so callers can name the line. */
export class ListEntryError extends InputError {
	constructor(
		readonly index: number,
		readonly reason: string,
	) {
		super(`Entry ${index + 1}: ${reason}`);
	}
}
