import { startSimulator, type Simulator } from '../../simulator';
import { graphVersionVerdict } from '../../simulator/graph-versions';
import { DEFAULT_GRAPH_API_VERSION } from '../../nodes/shared/api-credential';
import { announcement } from './support';

/** The Graph API versions of Meta's changelog (docs/whatsapp-platform.md, 7.1). */
describe('simulator: Graph API versions', () => {
	let sim: Simulator;
	beforeAll(async () => {
		sim = await startSimulator({ rate: 0, pairRate: false });
	});
	afterAll(() => sim.stop());
	beforeEach(() => sim.reset());

	const post = (version: string) =>
		fetch(`${sim.baseUrl}/${version}/${sim.config.phoneNumberId}/messages`, {
			method: 'POST',
			headers: {
				authorization: `Bearer ${sim.config.accessToken}`,
				'content-type': 'application/json',
			},
			body: JSON.stringify(announcement('4915112345678', 'Hallo')),
		});

	it.each(['v21.0', 'v22.0', 'v23.0', 'v24.0', 'v25.0', 'v26.0'])(
		'serves %s, which Meta still serves',
		async (version) => {
			const answer = await post(version);
			expect(answer.status).toBe(200);
		},
	);

	it('serves an expired version as Meta does (as the oldest usable one)', async () => {
		expect(graphVersionVerdict('v20.0')).toBe('expired');
		expect((await post('v20.0')).status).toBe(200);
	});

	it.each(['v27.0', 'v24.1', 'latest', 'v2.13', 'v0.0'])(
		'refuses %s, a version Meta never released, with error 100 and sends nothing',
		async (version) => {
			const answer = await post(version);
			expect(answer.status).toBe(400);
			const body = (await answer.json()) as {
				error: { code: number; error_data: { details: string } };
			};
			expect(body.error.code).toBe(100);
			expect(body.error.error_data.details).toContain(version);
			expect(sim.accepted()).toHaveLength(0);
		},
	);

	it("the credential's default is the latest version, and the simulator serves it", async () => {
		expect(DEFAULT_GRAPH_API_VERSION).toBe('v26.0');
		expect(graphVersionVerdict(DEFAULT_GRAPH_API_VERSION)).toBe('served');
		expect((await post(DEFAULT_GRAPH_API_VERSION)).status).toBe(200);
	});
});
