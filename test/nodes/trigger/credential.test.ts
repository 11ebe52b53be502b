import {
	Workflow,
	type ICredentialDataDecryptedObject,
	type IDataObject,
	type INode,
	type INodeTypes,
} from 'n8n-workflow';

import { WhatsAppBroadcastApi } from '../../../credentials/WhatsAppBroadcastApi.credentials';
import { startSimulator, type Simulator } from '../../../simulator';

/**
 * Runs the credential's declarative test the way n8n does: its expressions evaluated by n8n's
 * expression engine with `$credentials`, the authentication headers applied, one real request.
 */
async function runCredentialTest(data: ICredentialDataDecryptedObject) {
	const credential = new WhatsAppBroadcastApi();
	const node: INode = {
		id: 'n',
		name: 'Credential Test',
		type: 'test.none',
		typeVersion: 1,
		position: [0, 0],
		parameters: {},
	};
	const nodeTypes: INodeTypes = {
		getByName: () => ({ description: { properties: [] } }) as never,
		getByNameAndVersion: () => ({ description: { properties: [] } }) as never,
		getKnownTypes: () => ({}),
	};
	const workflow = new Workflow({ nodes: [node], connections: {}, active: false, nodeTypes });
	const resolve = (value: unknown) =>
		workflow.expression.getParameterValue(
			value as string,
			null,
			0,
			0,
			node.name,
			[],
			'internal',
			{ $credentials: data } as IDataObject,
			undefined,
			false,
			data,
		) as string;
	const request = credential.test.request;
	const url = new URL(resolve(request.baseURL) + resolve(request.url));
	for (const [name, value] of Object.entries(request.qs ?? {}))
		url.searchParams.set(name, String(value));
	const headers = Object.fromEntries(
		Object.entries(credential.authenticate.properties.headers ?? {}).map(([name, value]) => [
			name,
			resolve(value),
		]),
	);
	const response = await fetch(url, { headers });
	return {
		url: url.toString(),
		status: response.status,
		body: (await response.json()) as IDataObject,
	};
}

describe('WhatsApp Broadcast API credential test against the simulator', () => {
	let sim: Simulator;
	beforeAll(async () => {
		sim = await startSimulator();
	});
	afterAll(() => sim.stop());

	const data = (overrides: IDataObject = {}): ICredentialDataDecryptedObject => ({
		accessToken: sim.config.accessToken,
		phoneNumberId: sim.config.phoneNumberId,
		graphApiVersion: 'v24.0',
		baseUrl: `${sim.baseUrl}/`,
		...overrides,
	});

	it('reaches the phone number’s endpoint with the bearer token and gets its details', async () => {
		const answer = await runCredentialTest(data());
		expect(answer.url).toBe(
			`${sim.baseUrl}/v24.0/${sim.config.phoneNumberId}?fields=display_phone_number%2Cverified_name`,
		);
		expect(answer).toMatchObject({
			status: 200,
			body: { id: sim.config.phoneNumberId, verified_name: sim.config.verifiedName },
		});
	});

	it('gets Meta’s error envelope for a bad token (code 190), which n8n shows as the failure', async () => {
		const answer = await runCredentialTest(data({ accessToken: 'expired-token' }));
		expect(answer.status).toBe(401);
		expect(answer.body).toMatchObject({ error: { code: 190, type: 'OAuthException' } });
	});

	it('gets an error for a phone number ID that does not exist', async () => {
		const answer = await runCredentialTest(data({ phoneNumberId: '999' }));
		expect(answer.status).toBeGreaterThanOrEqual(400);
		expect(answer.body).toMatchObject({ error: { code: 100 } });
	});
});
