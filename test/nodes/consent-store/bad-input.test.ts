import type { ICredentialDataDecryptedObject, ICredentialTestFunctions } from 'n8n-workflow';

import { consentStoreDbTest } from '../../../nodes/shared/consent-store-credential-test';
import { closeAllStores } from '../../../nodes/shared/store-cache';
import { tempSqlite, type TempSqlite } from '../../support/temp-store';
import { messageItem, NODE, runConsentStore } from './support';

const PHONE = '4915112345678';

describe('Consent Store: bad settings and bad input give errors that say what to fix', () => {
	let ctx: TempSqlite;
	beforeEach(() => (ctx = tempSqlite()));
	afterEach(() => ctx.dispose());

	const processStart = (credential: ICredentialDataDecryptedObject) =>
		runConsentStore(
			{ operation: 'processMessage' },
			[messageItem(PHONE, { text: 'start' })],
			credential,
		);

	it('missing data-protection key', async () => {
		const run = await processStart({ ...ctx.credential, dataProtectionKey: '' });
		expect(run.error?.message).toMatch(
			/^The data-protection key is missing: set it in the Consent Store credential/,
		);
	});

	it('key too short', async () => {
		const run = await processStart({ ...ctx.credential, dataProtectionKey: 'short' });
		expect(run.error?.message).toMatch(
			/data-protection key is too short: use at least 16 characters/,
		);
	});

	it('wrong key for an existing store: refused before anything is written', async () => {
		expect((await processStart(ctx.credential)).json(NODE, 0)).toHaveLength(1);
		await closeAllStores();
		const wrong = { ...ctx.credential, dataProtectionKey: 'a-different-key-of-enough-length' };
		const run = await runConsentStore({ operation: 'statistics', days: 1 }, [{ json: {} }], wrong);
		expect(run.error?.message).toMatch(
			/data-protection key does not match the one this consent store was created with/,
		);
	});

	it('unknown backend', async () => {
		const run = await processStart({ ...ctx.credential, backend: 'mysql' });
		expect(run.error?.message).toBe('Unknown storage backend "mysql": use "sqlite" or "postgres"');
	});

	it('PostgreSQL unreachable', async () => {
		const run = await processStart({
			backend: 'postgres',
			host: '127.0.0.1',
			port: 1,
			database: 'test',
			user: 'postgres',
			schema: 'unreachable',
			dataProtectionKey: ctx.credential.dataProtectionKey,
		});
		expect(run.error?.message).toMatch(
			/^Cannot reach PostgreSQL at 127\.0\.0\.1:1\/test \(ECONNREFUSED\)/,
		);
	});

	it('malformed import lines: nothing imported, lines named, no number echoed', async () => {
		const contacts = 'name;phone\nGast_0001;0151 11111111\nGast_0002;0151 98\nGast_0003;abc\n';
		const run = await runConsentStore(
			{ operation: 'import', inputSource: 'text', contacts },
			[{ json: {} }],
			ctx.credential,
		);
		expect(run.error?.message).toMatch(
			/^2 lines cannot be imported \(line 3: .*; line 4: .*\)\. Nothing was imported/,
		);
		expect(run.error?.message).not.toMatch(/015198|abc/);
		const stats = await runConsentStore(
			{ operation: 'statistics', days: 1 },
			[{ json: {} }],
			ctx.credential,
		);
		expect(stats.json(NODE)[0]).toMatchObject({ subscribers: 0 });
	});

	it('a phone number typed by staff that cannot be read', async () => {
		const run = await runConsentStore(
			{ operation: 'subscribe', phone: '12', defaultRegion: 'DE' },
			[{ json: {} }],
			ctx.credential,
		);
		expect(run.error?.message).toMatch(/phone number/);
		expect(run.error?.message).not.toContain('12');
	});

	it('a missing binary file names the field', async () => {
		const run = await runConsentStore(
			{ operation: 'import', inputSource: 'binary', binaryPropertyName: 'data' },
			[{ json: {} }],
			ctx.credential,
		);
		expect(run.error?.message).toBe(
			'The item has no binary field "data": attach the CSV or .vcf file there, or choose Input Source "Text"',
		);
	});
});

describe('credential test', () => {
	let ctx: TempSqlite;
	beforeEach(() => (ctx = tempSqlite()));
	afterEach(() => ctx.dispose());
	const test = (data: ICredentialDataDecryptedObject) =>
		consentStoreDbTest.call({} as ICredentialTestFunctions, {
			id: '1',
			name: 'c',
			type: 'consentStoreDb',
			data,
		});

	it('reports success with the number of subscribers', async () => {
		expect(await test(ctx.credential)).toEqual({
			status: 'OK',
			message: 'Connection successful: the consent store is ready (0 subscribers)',
		});
	});

	it('reports a bad key length, a wrong key and an unreachable database clearly', async () => {
		expect(await test({ ...ctx.credential, dataProtectionKey: 'short' })).toEqual({
			status: 'Error',
			message: expect.stringMatching(/too short: use at least 16 characters/),
		});
		await test(ctx.credential);
		expect(
			await test({ ...ctx.credential, dataProtectionKey: 'another-key-of-enough-length' }),
		).toEqual({
			status: 'Error',
			message: expect.stringMatching(/does not match the one this consent store was created with/),
		});
		expect(
			await test({
				backend: 'postgres',
				host: '127.0.0.1',
				port: 1,
				database: 'x',
				user: 'u',
				schema: 's',
				dataProtectionKey: ctx.credential.dataProtectionKey,
			}),
		).toEqual({
			status: 'Error',
			message: expect.stringMatching(/^Cannot reach PostgreSQL at 127\.0\.0\.1:1\/x/),
		});
	});
});
