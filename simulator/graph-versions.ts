/**
 * The Graph API versions Meta serves, from its changelog's version table (developers.facebook.com
 * /docs/graph-api/changelog/versions, read 2026-11-30; docs/whatsapp-platform.md, 7.1): v26.0 is
 * the latest, v21.0 the oldest still served (until 2027-01-21). Meta's versioning page says a call
 * to a version past its end date is answered by the oldest usable version, so an expired version
 * is served like v21.0; a version Meta never released (v27.0, v24.1, `latest`) is refused.
 */
export const LATEST_GRAPH_VERSION = 26;
export const OLDEST_SERVED_GRAPH_VERSION = 21;
/** Versions before v2.0 (v1.0) and the v2.x/v3.x minors Meta released. */
const RELEASED_MINORS: Record<number, number> = { 2: 12, 3: 3 };

export type VersionVerdict = 'served' | 'expired' | 'unknown';

export function graphVersionVerdict(version: string): VersionVerdict {
	const match = /^v(\d{1,3})\.(\d{1,2})$/.exec(version);
	if (!match) return 'unknown';
	const major = Number(match[1]);
	const minor = Number(match[2]);
	const maxMinor = RELEASED_MINORS[major] ?? 0;
	if (major < 1 || major > LATEST_GRAPH_VERSION || minor > maxMinor) return 'unknown';
	return major >= OLDEST_SERVED_GRAPH_VERSION ? 'served' : 'expired';
}
