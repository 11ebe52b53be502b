import { findNode, loadWorkflow } from '../../scripts/n8n/workflows';
import { evaluateParameter } from './expressions';

/**
 * Nobody can flood staff (issue 12, point 6) in the exported subscriptions workflow: a message
 * Process Message held back has no text, so the existing "Has Question Text" filter keeps it from
 * Ask Staff; the Held Back output (the fifth) goes to a plain e-mail, which waits for nobody.
 */
describe('subscriptions workflow: messages held back from staff', () => {
	const workflow = loadWorkflow('subscriptions.json');
	const connections = workflow.connections as Record<
		string,
		{ main: Array<Array<{ node: string }>> }
	>;

	it('routes Other through Has Question Text, whose condition is empty for a held-back item', () => {
		expect(connections['Process Message'].main[3].map((t) => t.node)).toEqual([
			'Has Question Text',
		]);
		const path = 'conditions.conditions.0.leftValue';
		const held = {
			action: 'held_back',
			reason: 'held_back',
			pseudonym: 'Gast_0001',
			replyText: null,
		};
		expect(evaluateParameter(workflow, 'Has Question Text', path, held) ?? '').toBe('');
		const question = { action: 'other', pseudonym: 'Gast_0001', text: 'Wann ist der Markt?' };
		expect(evaluateParameter(workflow, 'Has Question Text', path, question)).toBe(
			'Wann ist der Markt?',
		);
	});

	it('sends the hourly summary from the Held Back output as a plain e-mail with counts only', () => {
		expect(connections['Process Message'].main[4].map((t) => t.node)).toEqual([
			'Tell Staff: Held Back',
		]);
		const mail = findNode(workflow, 'Tell Staff: Held Back');
		expect(mail.type).toBe('n8n-nodes-base.emailSend');
		expect(mail.parameters.operation ?? 'send').toBe('send');
		expect(connections['Tell Staff: Held Back']).toBeUndefined();
		const summary = {
			heldBackMessages: 95,
			heldBackPeople: 1,
			since: '2026-11-30T08:00:00.000Z',
			until: '2026-11-30T09:00:00.000Z',
			limitPerPersonAndHour: 5,
		};
		expect(evaluateParameter(workflow, 'Tell Staff: Held Back', 'subject', summary)).toBe(
			'WhatsApp: 95 Nachricht(en) von 1 Person(en) zurückgehalten',
		);
		const text = String(evaluateParameter(workflow, 'Tell Staff: Held Back', 'text', summary));
		expect(text).toContain('30.11.2026 08:00');
		expect(text).toContain('mehr als 5 Nachrichten pro Stunde');
	});
});
