/**
 * The processes under a pid and the TCP ports they listen on, read from Linux's /proc. n8n starts
 * a task runner of its own; stopping n8n waits for the whole tree, and the tests check that
 * every port of the tree is one we chose and that nothing is left afterwards. Without /proc
 * (macOS) the tree is just the root and no ports are found.
 */
import { existsSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';

/** A process as it was seen: the start time tells it apart from a later one with the same pid. */
export interface ProcessRef {
	pid: number;
	/** Clock ticks after boot (/proc/<pid>/stat field 22); '' where /proc is missing. */
	startTime: string;
	command: string;
}

interface Stat {
	state: string;
	ppid: number;
	startTime: string;
}

const HAS_PROC = existsSync('/proc/self/stat');

function readStat(pid: number): Stat | undefined {
	try {
		const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
		// Field 2 (the command name) may hold spaces and parentheses: split after the last ')'.
		const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
		return { state: fields[0], ppid: Number(fields[1]), startTime: fields[19] };
	} catch {
		return undefined;
	}
}

function readCommand(pid: number): string {
	try {
		return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
	} catch {
		return '';
	}
}

/** The root and every living descendant (zombies count as gone). */
export function processTree(rootPid: number): ProcessRef[] {
	if (!HAS_PROC) return [{ pid: rootPid, startTime: '', command: '' }];
	const children = new Map<number, number[]>();
	const stats = new Map<number, Stat>();
	for (const entry of readdirSync('/proc')) {
		if (!/^\d+$/.test(entry)) continue;
		const pid = Number(entry);
		const stat = readStat(pid);
		if (!stat || stat.state === 'Z') continue;
		stats.set(pid, stat);
		children.set(stat.ppid, [...(children.get(stat.ppid) ?? []), pid]);
	}
	const tree: ProcessRef[] = [];
	const queue = stats.has(rootPid) ? [rootPid] : [];
	while (queue.length > 0) {
		const pid = queue.shift() as number;
		tree.push({ pid, startTime: stats.get(pid)?.startTime ?? '', command: readCommand(pid) });
		queue.push(...(children.get(pid) ?? []));
	}
	return tree;
}

/** Whether that very process still runs (not a zombie, not a new process with its pid). */
export function isRunning(ref: ProcessRef): boolean {
	if (!HAS_PROC) {
		try {
			process.kill(ref.pid, 0);
			return true;
		} catch {
			return false;
		}
	}
	const stat = readStat(ref.pid);
	return stat !== undefined && stat.state !== 'Z' && stat.startTime === ref.startTime;
}

/** Socket inodes a process holds open. */
function socketInodes(pid: number): Set<string> {
	const inodes = new Set<string>();
	let fds: string[];
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

/** TCP ports (IPv4 and IPv6) on which any of these processes listens, ascending. */
export function listeningPorts(pids: readonly number[]): number[] {
	if (!HAS_PROC) return [];
	const inodes = new Set(pids.flatMap((pid) => [...socketInodes(pid)]));
	const ports = new Set<number>();
	for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
		let text: string;
		try {
			text = readFileSync(table, 'utf8');
		} catch {
			continue;
		}
		for (const line of text.split('\n').slice(1)) {
			const columns = line.trim().split(/\s+/);
			// local_address is HEXIP:HEXPORT; state 0A is LISTEN; column 9 is the socket's inode.
			if (columns.length < 10 || columns[3] !== '0A' || !inodes.has(columns[9])) continue;
			ports.add(parseInt(columns[1].split(':')[1], 16));
		}
	}
	return [...ports].sort((a, b) => a - b);
}
