// Bundled into dist by `npm run build` (see nodes/vendor/pg.ts for why).
export { parsePhoneNumberWithError } from 'libphonenumber-js';
export type { CountryCode } from 'libphonenumber-js';
