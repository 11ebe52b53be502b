export { startSimulator, Simulator } from './simulator';
export type { SimulatorOptions, SimulatorConfig, FaultConfig, StatusConfig } from './config';
export type { AcceptedMessage, Counters, WebhookDelivery } from './state';
export { DEFAULT_TEMPLATES, type SimTemplate } from './templates';
export * from './payloads';
export type { CitizenSend, DeliveryOptions } from './webhooks';
