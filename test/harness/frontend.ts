import { createRequire } from 'node:module';

/**
 * node-postgres's own frontend serializer, for byte-level fixtures. Loaded through require:
 * pg-protocol's ESM entry re-enters its CJS build, which tap's loader refuses as a cycle.
 */
const pgProtocol = createRequire(import.meta.url)('pg-protocol') as typeof import('pg-protocol');
export const serialize = pgProtocol.serialize;
