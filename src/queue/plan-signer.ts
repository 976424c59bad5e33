/**
 * The admin side's plan signer: the Ed25519 private key (`--plan-signing-key`, a PKCS8 PEM from
 * `tripwire plan keygen`) never leaves this process; its public half is published in the state
 * database for the proxies.
 */
import { createPublicKey, KeyObject } from 'node:crypto';
import { readPrivateKey, scriptFingerprints, signPlanToken } from '../policy/tokens/index.js';
import type { PlanSigner, SignRequest, SignedPlan } from './signer.js';

export const DEFAULT_TOKEN_TTL_SECONDS = 24 * 60 * 60;

export async function planSignerFromKey(path: string, ttlSeconds = DEFAULT_TOKEN_TTL_SECONDS): Promise<PlanSigner> {
  const privateKey = await readPrivateKey(path);
  const publicKey = createPublicKey(KeyObject.from(privateKey.key)).export({ type: 'spki', format: 'pem' }).toString();
  return {
    kid: privateKey.kid,
    publicKey,
    async sign(r: SignRequest): Promise<SignedPlan> {
      const statements = [...new Set(r.statements.flatMap((sql) => scriptFingerprints(sql)))];
      const signed = await signPlanToken({
        privateKey,
        database: r.database,
        schemaFingerprint: r.schemaFingerprint,
        statementFingerprints: statements,
        ttlSeconds,
        ...(r.change ? { change: r.change } : {}),
      });
      return { id: signed.tokenId, token: signed.token, expiresAt: signed.expiresAt, statements };
    },
  };
}
