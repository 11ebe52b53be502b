export { normalizeKeyword } from '../language';
export {
	KeywordParser,
	KEYWORD_ACTIONS,
	LANGUAGES,
	type ExtraKeyword,
	type KeywordAction,
	type KeywordMatch,
} from './keywords';
export {
	DEFAULT_REPLY_TEXTS,
	defaultReplyTexts,
	REPLY_KINDS,
	fillReply,
	replyTexts,
	type ReplyKind,
	type ReplyOverride,
	type ReplyTexts,
} from './reply-texts';
export {
	processMessage,
	type InboundMessage,
	type MessageAction,
	type MessageStore,
	type ProcessOptions,
	type ProcessResult,
	type Route,
} from './process-message';
export {
	importContacts,
	detectFormat,
	type ImportFormat,
	type ImportOptions,
	type ImportSummary,
} from './import-contacts';
export { parseCsvContacts } from './import-csv';
export { parseVcardContacts } from './import-vcard';
export {
	validateContacts,
	type ImportEntry,
	type ImportProblem,
	type RawContact,
} from './import-entry';
export {
	processingRecordHtml,
	processingRecordMarkdown,
	processingRecordSections,
	type ProcessingRecordInput,
} from './processing-record';
