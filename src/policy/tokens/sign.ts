import { randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import { PLAN_TOKEN_TYPE } from './claims.js';
import { PLAN_ALG, type PlanPrivateKey } from './keys.js';

export interface SignRequest {
  privateKey: PlanPrivateKey;
  database: string;
  schemaFingerprint: string;
  statementFingerprints: readonly string[];
  ttlSeconds: number;
  change?: string;
  issuer?: string;
}

/** A compact JWS (EdDSA) plan token. */
export async function signPlanToken(r: SignRequest): Promise<{ token: string; tokenId: string; expiresAt: Date }> {
  const tokenId = randomUUID();
  const now = Math.floor(Date.now() / 1000);
  const token = await new SignJWT({
    db: r.database,
    schema: r.schemaFingerprint,
    stmts: [...new Set(r.statementFingerprints)],
    ...(r.change ? { change: r.change } : {}),
  })
    .setProtectedHeader({ alg: PLAN_ALG, kid: r.privateKey.kid, typ: PLAN_TOKEN_TYPE })
    .setJti(tokenId)
    .setIssuedAt(now)
    .setExpirationTime(now + r.ttlSeconds)
    .setIssuer(r.issuer ?? 'tripwire')
    .sign(r.privateKey.key);
  return { token, tokenId, expiresAt: new Date((now + r.ttlSeconds) * 1000) };
}
