/**
 * n8n's executions of a workflow, read over its REST API with the owner's session: waiting for
 * them to finish before checking what they did (or did not) send.
 *
 * When is an execution visible? n8n registers it (status `new`, then `running`) before it answers
 * the webhook request in n8n's own response modes (the Webhook node, CMS). Our WhatsApp trigger
 * answers Meta itself at once, before n8n registers the execution: there, something the execution
 * did (a message sent) shows that it exists. A send-and-wait execution parked for staff has
 * status `waiting` and is not current.
 */

/** n8n's "current" statuses (n8n 2.41.1, executions/execution-list-v1.service). */
const CURRENT = ['new', 'running'];

async function listExecutions(
	baseUrl: string,
	cookie: string,
	filter: Record<string, unknown>,
	limit: number,
): Promise<Array<{ id: string; status: string }>> {
	const query = `filter=${encodeURIComponent(JSON.stringify(filter))}&limit=${limit}`;
	const response = await fetch(`${baseUrl}/rest/executions?${query}`, { headers: { cookie } });
	if (!response.ok) throw new Error(`n8n's executions list answered ${response.status}`);
	const { data } = (await response.json()) as {
		data: { results: Array<{ id: string; status: string }> };
	};
	return data.results;
}

async function currentExecutions(
	baseUrl: string,
	cookie: string,
	workflowId: string,
): Promise<number> {
	return (await listExecutions(baseUrl, cookie, { workflowId, status: CURRENT }, 100)).length;
}

/**
 * The highest id among the executions n8n keeps for the workflow once they stop running (waiting
 * for staff, failed; 0 if none). Ids only grow. A successful execution the workflow does not
 * keep (saveDataSuccessExecution: none) is deleted when it ends and never counts.
 */
export async function latestKeptExecutionId(
	baseUrl: string,
	cookie: string,
	workflowId: string,
): Promise<number> {
	const status = ['waiting', 'error', 'crashed', 'canceled', 'success', 'unknown'];
	const results = await listExecutions(baseUrl, cookie, { workflowId, status }, 5);
	return Math.max(0, ...results.map((r) => Number(r.id)));
}

/** Resolves once no execution of the workflow is current; false if `limitMs` ran out first. */
export async function untilExecutionsFinished(
	baseUrl: string,
	cookie: string,
	workflowId: string,
	limitMs: number,
): Promise<boolean> {
	const deadline = Date.now() + limitMs;
	for (;;) {
		if ((await currentExecutions(baseUrl, cookie, workflowId)) === 0) return true;
		if (Date.now() > deadline) return false;
		await new Promise((r) => setTimeout(r, 250));
	}
}
