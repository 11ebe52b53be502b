// Bundled into dist by `npm run build` (see nodes/vendor/pg.ts for why). The strict decoder knows
// all of HTML5's named references but, unlike a browser, only those ending in `;`: feeds carry raw
// URLs such as `?id=1&sect=2`, where a browser would read `&sect` as `§`.
// Pinned to entities 7: from 8 on it ships ES modules only, which Jest's CommonJS test run cannot
// load without --experimental-vm-modules; 7 has the same decoder and entity table.
export { decodeHTMLStrict } from 'entities/decode';
