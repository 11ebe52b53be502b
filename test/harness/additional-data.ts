import type { ICredentialDataDecryptedObject, IWorkflowExecuteAdditionalData } from 'n8n-workflow';

import { TestCredentialsHelper } from './credentials-helper';

/**
 * The part of n8n's additional data that workflow runs and webhook runs share: credentials by
 * type, and the instance URLs n8n derives from one base (n8n's default host and port unless given).
 */
export function sharedAdditionalData(
	credentials: Record<string, ICredentialDataDecryptedObject>,
	base = 'http://127.0.0.1:5678',
): Partial<IWorkflowExecuteAdditionalData> {
	return {
		credentialsHelper: new TestCredentialsHelper(credentials),
		currentNodeExecutionIndex: 0,
		restApiUrl: `${base}/rest`,
		instanceBaseUrl: base,
		formBaseUrl: `${base}/form`,
		formWaitingBaseUrl: `${base}/form-waiting`,
		formTestBaseUrl: `${base}/form-test`,
		webhookBaseUrl: `${base}/webhook`,
		webhookWaitingBaseUrl: `${base}/webhook-waiting`,
		webhookTestBaseUrl: `${base}/webhook-test`,
		mcpBaseUrl: `${base}/mcp`,
		mcpTestBaseUrl: `${base}/mcp-test`,
		variables: {},
		userId: 'test-user',
	};
}
