/** The instance owner n8n asks for on first start, and what a logged-in session can read. */
import { randomBytes } from 'node:crypto';

export interface OwnerAccount {
	email: string;
	password: string;
	firstName: string;
	lastName: string;
}

/** A local throwaway owner, new for every process (n8n wants a digit and a capital letter). */
export const SANDBOX_OWNER: OwnerAccount = {
	email: 'admin@musterdorf.example',
	password: `Sandbox-${randomBytes(5).toString('hex')}-7Q`,
	firstName: 'Sandbox',
	lastName: 'Admin',
};

export async function setupOwner(baseUrl: string, owner: OwnerAccount): Promise<string> {
	const response = await fetch(`${baseUrl}/rest/owner/setup`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify(owner),
	});
	if (!response.ok)
		throw new Error(`owner setup answered ${response.status}: ${await response.text()}`);
	const cookie = response.headers
		.getSetCookie()
		.map((c) => c.split(';')[0])
		.join('; ');
	if (!cookie) throw new Error('owner setup returned no session cookie');
	return cookie;
}

/** Names of every node type the running n8n knows (needs a session cookie). */
export async function listNodeTypes(baseUrl: string, cookie: string): Promise<string[]> {
	const response = await fetch(`${baseUrl}/types/nodes.json`, { headers: { cookie } });
	if (!response.ok) throw new Error(`/types/nodes.json answered ${response.status}`);
	const types = (await response.json()) as Array<{ name: string }>;
	return [...new Set(types.map((t) => t.name))];
}
