import type { SchemaFingerprinter } from '../catalog/catalog-cache.js';
import { MemoryTokenUsage, readPublicKeys, schemaFingerprint as fingerprintSchema, statementFingerprint, verifyPlanToken, type PlanPublicKeys, type TokenUsage } from '../policy/tokens/index.js';
import { heldStatementNodes, type PlanTokens, type TokenCheck } from './plan-tokens.js';

export const schemaFingerprint: SchemaFingerprinter = fingerprintSchema;

/** Plan-token checks for the proxy: every held statement must be covered, or the first refusal says why. */
export function planTokenGate(keys: PlanPublicKeys | null, usage: TokenUsage = new MemoryTokenUsage()): PlanTokens {
  return {
    async check(token, sql, holds, database, liveSchemaFingerprint) {
      const uses: TokenCheck[] = [];
      let tokenId = '';
      for (const node of heldStatementNodes(sql, holds)) {
        const statement = statementFingerprint(node);
        const result = await verifyPlanToken(token, { keys, database, liveSchemaFingerprint, statementFingerprint: statement, usage });
        if (!result.ok) return { ok: false, tokenId: result.tokenId, sqlstate: result.error.sqlstate ?? 'TW002', message: result.error.message };
        tokenId = result.claims.jti;
        uses.push({ tokenId, statement, expiresAt: result.claims.exp });
      }
      return { ok: true, tokenId, uses };
    },
    markUsed: (use) => usage.markUsed(use.tokenId, use.statement, use.expiresAt),
  };
}

/** `--plan-public-key FILE|DIR`; without it every token is refused with TW_TOKEN_NO_KEYS. */
export async function planTokensFromKeys(publicKeyPath: string | undefined): Promise<PlanTokens> {
  return planTokenGate(publicKeyPath ? await readPublicKeys(publicKeyPath) : null);
}
