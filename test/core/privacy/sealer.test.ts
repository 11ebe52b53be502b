import { derivePrivacyKeys, eventRef } from '../../../nodes/core/privacy/keys';
import {
	isSealedMessageId,
	isSealedSender,
	openMessageId,
	openSender,
	sealer,
	sealMessageId,
	sealSender,
} from '../../../nodes/core/privacy/sealer';
import { testKeys as keys } from '../../support/test-key';

const WAMID = 'wamid.HBgNNDkxNTExMjM0NTY3OBUCABIYFjNFQjBDMEE2QzM4NDg4QjFFNjlFAA==';

/**
 * Tokens sealed with the test key by the code before the sealer was one module (sealed-sender.ts
 * and webhook/sealed-message-id.ts): such tokens sit in n8n execution data and pinned data, so
 * they must keep opening.
 */
const EARLIER = {
	senderWithUserId:
		'sealed1.zxuSi5DbRh2oEFZpTTsQmm04MebTAcvKTPmUUMoK5veIaT-rXBxshXR91WSRnGQOC9fYtL2mUICucfVkZpiijQeOV75K',
	sender: 'sealed1.7KWb9nGYK84PszvPw6MSp_sl4zbpC7-oXGEfKrU4o4p7okR8NySZC33NOzWxjaZXxQ',
	messageId:
		'sealedid1.hakQ1ZXd78jNCIc7OlfrAGT8TEm2B1qGc47lWVjspYhb-E54yxneOkCChX19PIjB7jTG932NnLIXNjulUdRX0gOGJX5g4a50YUl8o5vY2eLFOvz1EAPxzPJpl9_JBQ',
	/** The whole blind index of `m:wamid.X`, as the store's event_keys table kept it. */
	storedEventIndex: '_X_iewK1fMA55mrCbEKKWL6wGEQ9t2I2pNF85_q6iFI',
};

describe('one sealer for every token in execution data', () => {
	it('opens tokens sealed before the sealer was one module', () => {
		expect(openSender(keys, EARLIER.senderWithUserId)).toEqual({
			phone: '4915112345678',
			userId: 'DE.1234567890',
		});
		expect(openSender(keys, EARLIER.sender)).toEqual({ phone: '4915112345678' });
		expect(openMessageId(keys, EARLIER.messageId)).toBe(WAMID);
	});

	it('keeps the prefixes of the stored format and seals afresh each time', () => {
		const a = sealSender(keys, { phone: '4915112345678' });
		const b = sealSender(keys, { phone: '4915112345678' });
		expect(a.startsWith('sealed1.')).toBe(true);
		expect(a).not.toBe(b);
		expect(openSender(keys, a)).toEqual({ phone: '4915112345678' });
		expect(sealMessageId(keys, WAMID).startsWith('sealedid1.')).toBe(true);
		expect(sealer('sender').prefix).toBe('sealed1.');
		expect(sealer('messageId').prefix).toBe('sealedid1.');
	});

	it('binds a token to its kind: a message ID does not open as a sender, nor the reverse', () => {
		const asSender = 'sealed1.' + EARLIER.messageId.slice('sealedid1.'.length);
		expect(() => openSender(keys, asSender)).toThrow('Cannot decrypt');
		const asMessageId = 'sealedid1.' + EARLIER.sender.slice('sealed1.'.length);
		expect(() => openMessageId(keys, asMessageId)).toThrow('Cannot decrypt');
		expect(isSealedSender(EARLIER.messageId)).toBe(false);
		expect(isSealedMessageId(EARLIER.sender)).toBe(false);
	});

	it('refuses another key and anything that is not a token of its kind', () => {
		const other = derivePrivacyKeys('another-data-protection-key');
		expect(() => openSender(other, EARLIER.sender)).toThrow('Cannot decrypt');
		expect(() => openSender(keys, '4915112345678')).toThrow('not a sealed sender');
		expect(() => sealer('messageId').open(keys, 'wamid.plain')).toThrow(
			'not a sealed messageId token',
		);
		// A plain wamid or a preference reference passes through openMessageId unchanged.
		expect(openMessageId(keys, 'preference.abc')).toBe('preference.abc');
	});
});

describe('one event reference', () => {
	it('is the first 22 characters of the blind index the store used to keep whole', () => {
		const ref = eventRef(keys, 'm:wamid.X');
		expect(ref).toHaveLength(22);
		expect(EARLIER.storedEventIndex.startsWith(ref)).toBe(true);
	});
});
