import type { SchemaFingerprinter } from '../catalog/catalog-cache.js';
import { createHash } from 'node:crypto';
import type { PlanTokens } from './plan-tokens.js';

/** Interim: until plan-token verification lands, every token is refused and says why. */
export async function planTokensFromKeys(publicKeyPath: string | undefined): Promise<PlanTokens> {
  const message = publicKeyPath ? 'plan token verification is not available in this build' : 'no plan public key is configured (--plan-public-key)';
  return {
    check: async () => ({ ok: false, tokenId: null, sqlstate: 'TW002', message }),
    markUsed: () => undefined,
  };
}

export const schemaFingerprint: SchemaFingerprinter = (catalog) =>
  createHash('sha256').update(JSON.stringify(catalog, (k, v) => (k === 'rows' ? undefined : v))).digest('hex');
