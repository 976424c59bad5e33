import { createHash } from 'node:crypto';
import type { Catalog } from '../../src/inspector/index.js';
import type { PlanTokens } from '../../src/enforce/plan-tokens.js';

/** Interim until src/policy/tokens lands: refuses every token. */
export async function testPlanTokens(): Promise<PlanTokens> {
  return {
    check: async () => ({ ok: false, tokenId: null, sqlstate: 'TW002', message: 'no plan public key is configured' }),
    markUsed: () => undefined,
  };
}

export function testSchemaFingerprint(catalog: Catalog): string {
  return createHash('sha256').update(JSON.stringify(catalog, (k, v) => (k === 'rows' ? undefined : v))).digest('hex');
}
