import { type IExecuteFunctions, updateDisplayOptions } from 'n8n-workflow';

import {
	processingRecordHtml,
	processingRecordMarkdown,
	type ProcessingRecordInput,
} from '../../core/consent';
import { mapEachItem } from '../../shared/each-item';
import { readPseudonymPrefix } from './parameters';
import type { ConsentContext, OperationResult } from './context';

export const description = updateDisplayOptions({ show: { operation: ['processingRecord'] } }, [
	{
		displayName: 'Output Format',
		name: 'recordFormat',
		type: 'options',
		options: [
			{ name: 'HTML', value: 'html' },
			{ name: 'Markdown', value: 'markdown' },
		],
		default: 'markdown',
	},
	{
		displayName: 'Controller',
		name: 'controller',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'Gemeinde Musterstadt, Rathausplatz 1, 12345 Musterstadt',
		description: 'The municipality responsible for the processing: name and address',
	},
	{
		displayName: 'Controller Contact',
		name: 'controllerContact',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'buergerbuero@musterstadt.example',
	},
	{
		displayName: 'Record Details',
		name: 'recordDetails',
		type: 'collection',
		placeholder: 'Add Detail',
		default: {},
		options: [
			{
				displayName: 'Additional Measures',
				name: 'additionalMeasures',
				type: 'string',
				default: '',
				description: 'Further technical and organisational measures of your office',
			},
			{
				displayName: 'Data Protection Officer',
				name: 'dataProtectionOfficer',
				type: 'string',
				default: '',
			},
			{
				displayName: 'Execution Data Saved',
				name: 'executionDataSaved',
				type: 'boolean',
				default: false,
				description:
					'Whether n8n keeps the data of successful executions of this service (the exported workflows turn it off)',
			},
			{
				displayName: 'Internal Recipients',
				name: 'internalRecipients',
				type: 'string',
				default: '',
				placeholder: 'Press office, citizens’ office',
			},
			{
				displayName: 'Purpose',
				name: 'purpose',
				type: 'string',
				typeOptions: { rows: 3 },
				default: '',
				description: 'Replaces the default purpose text',
			},
			{
				displayName: 'Service Name',
				name: 'serviceName',
				type: 'string',
				default: 'WhatsApp-Info',
			},
		],
	},
]);

type RecordDetails = Partial<
	Pick<
		ProcessingRecordInput,
		| 'additionalMeasures'
		| 'dataProtectionOfficer'
		| 'executionDataSaved'
		| 'internalRecipients'
		| 'purpose'
		| 'serviceName'
	>
>;

/** The Art. 30 GDPR record, generated from these parameters and the store's configuration. */
export async function execute(
	this: IExecuteFunctions,
	context: ConsentContext,
): Promise<OperationResult> {
	return mapEachItem(this, async (i) => {
		const details = this.getNodeParameter('recordDetails', i, {}) as RecordDetails;
		const format = this.getNodeParameter('recordFormat', i) as 'html' | 'markdown';
		const input: ProcessingRecordInput = {
			...details,
			controller: this.getNodeParameter('controller', i) as string,
			controllerContact: this.getNodeParameter('controllerContact', i) as string,
			serviceName: details.serviceName || 'WhatsApp-Info',
			backend: context.credential.backend === 'postgres' ? 'postgres' : 'sqlite',
			pseudonymPrefix: readPseudonymPrefix(this, i),
			consentTextVersion: this.getNodeParameter('consentTextVersion', i) as string,
		};
		const record =
			format === 'html' ? processingRecordHtml(input) : processingRecordMarkdown(input);
		return {
			format,
			fileName: `processing-record.${format === 'html' ? 'html' : 'md'}`,
			record,
		};
	});
}
