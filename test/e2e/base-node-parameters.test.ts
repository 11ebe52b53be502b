/**
 * The exported workflows give n8n's own nodes only parameters, and option values, that the
 * installed n8n 2.41.1 declares for the node version used, read from its n8n-nodes-base.
 * (Our own nodes are checked the same way against our descriptions in test/workflows.)
 */
import { describeBaseNodes, type Descriptions } from '../../scripts/n8n/describe-nodes';
import { loadWorkflow, WORKFLOW_FILES } from '../../scripts/n8n/workflows';

const workflows = WORKFLOW_FILES.map((file) => ({ file, workflow: loadWorkflow(file) }));
const baseNodes = workflows.flatMap(({ file, workflow }) =>
	workflow.nodes
		.filter((n) => n.type.startsWith('n8n-nodes-base.'))
		.map((node) => ({ file, node })),
);

describe('base-node parameters in the exported workflows', () => {
	let descriptions: Descriptions;

	beforeAll(() => {
		const wanted = new Map(
			baseNodes.map(({ node }) => [
				`${node.type}@${node.typeVersion}`,
				{ type: node.type, version: node.typeVersion },
			]),
		);
		descriptions = describeBaseNodes([...wanted.values()]);
	});

	it.each(baseNodes.map(({ file, node }) => [`${file}: ${node.name}`, node]))('%s', (_, node) => {
		const description = descriptions[`${node.type}@${node.typeVersion}`];
		expect(description).not.toBeNull();
		if (!description) return;
		const names = new Set(description.properties.map((p) => p.name));
		if (description.polling) names.add('pollTimes');
		const unknown = Object.keys(node.parameters).filter((name) => !names.has(name));
		expect(unknown).toEqual([]);
		for (const [name, value] of Object.entries(node.parameters)) {
			const options = description.properties.filter((p) => p.name === name && p.type === 'options');
			if (options.length === 0 || (typeof value === 'string' && value.startsWith('='))) continue;
			const allowed = options.flatMap((p) => p.values ?? []);
			expect({ name, value, allowed: allowed.includes(value) }).toEqual({
				name,
				value,
				allowed: true,
			});
		}
	});
});
