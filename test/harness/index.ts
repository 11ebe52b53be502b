export { runWorkflow, type RunOptions, type WorkflowJson, type WorkflowRun } from './run-workflow';
export { runSingleNode, type SingleNodeOptions } from './run-node';
export { TestCredentialsHelper } from './credentials-helper';
export {
	WebhookRunner,
	type LogLine,
	type WebhookCall,
	type WebhookOutcome,
	type WebhookRunnerOptions,
} from './run-webhook';
