/**
 * Which process talks to a server right now: the established TCP connections that processes hold
 * to a port, read from Linux's /proc. A broadcast's sends are the only requests n8n makes to the
 * simulator in the crash scenario, so the worker with connections to it is the one sending.
 */
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';

function socketInodes(pid: number): Set<string> {
	const inodes = new Set<string>();
	let fds: string[] = [];
	try {
		fds = readdirSync(`/proc/${pid}/fd`);
	} catch {
		return inodes;
	}
	for (const fd of fds) {
		try {
			const match = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
			if (match) inodes.add(match[1]);
		} catch {
			// Closed between listing and reading.
		}
	}
	return inodes;
}

/** Established TCP connections any of these processes holds to `remotePort` (IPv4 or IPv6). */
export function connectionsTo(pids: readonly number[], remotePort: number): number {
	const inodes = new Set(pids.flatMap((pid) => [...socketInodes(pid)]));
	let count = 0;
	for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
		let text = '';
		try {
			text = readFileSync(table, 'utf8');
		} catch {
			continue;
		}
		for (const line of text.split('\n').slice(1)) {
			const columns = line.trim().split(/\s+/);
			// rem_address is HEXIP:HEXPORT; state 01 is ESTABLISHED; column 9 is the socket's inode.
			if (columns.length < 10 || columns[3] !== '01' || !inodes.has(columns[9])) continue;
			if (parseInt(columns[2].split(':')[1], 16) === remotePort) count += 1;
		}
	}
	return count;
}
