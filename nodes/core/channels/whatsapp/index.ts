export { WhatsAppChannel, whatsAppMessages, outcomeOf } from './channel';
export { CloudApiClient, type CloudApiConfig, type MessageSender, type SendResult } from './client';
export { CloudApiError, type RetryClass } from './errors';
export { abortAdvice, classifyError, SKIP_REASONS } from './classify';
export { prepareMessage } from './message';
export * from './wire-types';
