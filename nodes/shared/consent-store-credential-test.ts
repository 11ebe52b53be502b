import type {
	ICredentialsDecrypted,
	ICredentialTestFunctions,
	INodeCredentialTestResult,
} from 'n8n-workflow';

import { CivicBroadcastError } from '../core/errors';
import { openStore } from '../core/store';
import { storeConfigFrom, type ConsentStoreCredential } from './store-cache';

/**
 * The `consentStoreDb` credential test. Every node that uses the credential must name it with
 * `testedBy: 'consentStoreDbTest'` and expose it as `methods.credentialTest.consentStoreDbTest`
 * (n8n's lint checks each usage). Opens the store with the entered settings (which also creates or migrates the schema and
 * checks the data-protection key against the stored one), then closes it again.
 */
export async function consentStoreDbTest(
	this: ICredentialTestFunctions,
	credential: ICredentialsDecrypted,
): Promise<INodeCredentialTestResult> {
	try {
		const store = await openStore(
			storeConfigFrom((credential.data ?? {}) as unknown as ConsentStoreCredential),
		);
		const subscribers = await store.countSubscribers();
		await store.close();
		return {
			status: 'OK',
			message: `Connection successful: the consent store is ready (${subscribers} subscribers)`,
		};
	} catch (error) {
		return {
			status: 'Error',
			message:
				error instanceof CivicBroadcastError
					? error.message
					: 'The consent store could not be opened: check the backend settings',
		};
	}
}
