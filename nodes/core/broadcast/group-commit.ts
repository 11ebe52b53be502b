/**
 * Batches writes without a timer: items that arrive while a write is running join the next one.
 * Each `add` resolves once its own item is durable, so a caller can hold its in-flight slot until
 * then: the number of sends the ledger does not yet know about never exceeds the in-flight limit.
 */
export class GroupCommit<T> {
	private pending: { items: T[]; done: Promise<void> } | undefined;
	private busy: Promise<void> = Promise.resolve();

	constructor(private readonly write: (items: T[]) => Promise<void>) {}

	add(item: T): Promise<void> {
		if (!this.pending) {
			const batch = { items: [] as T[], done: Promise.resolve() };
			// One event-loop turn of grace lets answers already on the sockets join this batch: a
			// SQLite commit costs the same for one row as for fifty.
			batch.done = this.busy.then(nextTurn).then(() => {
				if (this.pending === batch) this.pending = undefined;
				return this.write(batch.items);
			});
			this.pending = batch;
			this.busy = batch.done.catch(() => undefined);
		}
		this.pending.items.push(item);
		return this.pending.done;
	}
}

function nextTurn(): Promise<void> {
	return new Promise((resolve) => setImmediate(resolve));
}
