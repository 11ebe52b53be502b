import { startTestProxy, withProxyEnvironment, type TestProxy } from '../../support/http-proxy';
import { findPhoneLeaks } from '../../support/privacy';
import { countsByPhone, seedSubscribers, startRig, type Rig } from '../../core/broadcast/support';
import { runNode } from './support';

describe('WhatsApp Broadcast node behind a proxy set in the environment', () => {
	let rig: Rig;
	let proxy: TestProxy;
	let restore: (() => void) | undefined;
	afterEach(async () => {
		restore?.();
		restore = undefined;
		await rig?.close();
		await proxy?.stop();
	});

	const item = { title: 'Wasserleitung', link: 'https://gemeinde.example/news/1', guid: 'n-1' };

	it('sends through HTTP_PROXY set on the process', async () => {
		rig = await startRig();
		proxy = await startTestProxy();
		const phones = await seedSubscribers(rig.store, 12);
		restore = withProxyEnvironment({ HTTP_PROXY: proxy.url });
		const result = await runNode(rig, { operation: 'sendAnnouncement', options: { rate: 500 } }, [
			item,
		]);
		expect(result.error).toBeUndefined();
		expect(result.json('Broadcast')[0]).toMatchObject({ sent: 12, failed: 0 });
		expect(proxy.counts.forwarded).toBe(12);
		expect(countsByPhone(rig.sim, phones)).toEqual(phones.map(() => 1));
	});

	it('NO_PROXY on the process lets it send direct', async () => {
		rig = await startRig();
		proxy = await startTestProxy();
		await seedSubscribers(rig.store, 3);
		restore = withProxyEnvironment({ HTTP_PROXY: proxy.url, no_proxy: '127.0.0.1' });
		const result = await runNode(rig, { operation: 'sendAnnouncement', options: { rate: 500 } }, [
			item,
		]);
		expect(result.json('Broadcast')[0]).toMatchObject({ sent: 3 });
		expect(proxy.counts.connections).toBe(0);
	});

	it('a proxy asking for credentials stops the announcement with a clear error and no personal data', async () => {
		rig = await startRig();
		proxy = await startTestProxy({ credentials: { user: 'ops', password: 'right' } });
		const phones = await seedSubscribers(rig.store, 5);
		restore = withProxyEnvironment({ HTTP_PROXY: proxy.url.replace('//', '//ops:wrong-pw@') });
		const result = await runNode(rig, { operation: 'sendAnnouncement', options: { rate: 500 } }, [
			item,
		]);
		const run = JSON.stringify(result.run.data);
		expect(run).toContain(
			`The proxy ${proxy.url} (set in HTTP_PROXY) rejected its user and password`,
		);
		expect(run).not.toContain('wrong-pw');
		expect(run).not.toContain(Buffer.from('ops:wrong-pw').toString('base64'));
		expect(findPhoneLeaks(run, phones)).toEqual([]);
		expect(rig.sim.counters().accepted).toBe(0);
	});
});
