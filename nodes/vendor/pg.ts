// Third-party runtime code enters the package only through nodes/vendor/: `npm run build` bundles
// each file here into dist, so the published package has no runtime dependencies (an n8n
// community-node rule) while the source keeps ordinary imports and types.
export { Client, Pool } from 'pg';
export type { PoolClient, PoolConfig } from 'pg';
