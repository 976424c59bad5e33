import { decodeProtectedHeader, errors as joseErrors, jwtVerify } from 'jose';
import { TripwireError, type ErrorCode } from '../../errors.js';
import { asPlanClaims, PLAN_TOKEN_TYPE, type PlanClaims } from './claims.js';
import { PLAN_ALG, type PlanPublicKeys } from './keys.js';
import type { TokenUsage } from './usage.js';

export type RefusalReason = 'bad-signature' | 'expired' | 'wrong-database' | 'wrong-statement' | 'used' | 'stale' | 'no-keys';

const CODES: Record<RefusalReason, ErrorCode> = {
  'bad-signature': 'TW_TOKEN_BAD_SIGNATURE',
  expired: 'TW_TOKEN_EXPIRED',
  'wrong-database': 'TW_TOKEN_WRONG_DATABASE',
  'wrong-statement': 'TW_TOKEN_WRONG_STATEMENT',
  used: 'TW_TOKEN_USED',
  stale: 'TW_TOKEN_STALE',
  'no-keys': 'TW_TOKEN_NO_KEYS',
};

export type VerifyResult =
  | { ok: true; claims: PlanClaims }
  | { ok: false; reason: RefusalReason; message: string; error: TripwireError; tokenId: string | null };

export interface VerifyRequest {
  keys: PlanPublicKeys | null;
  database: string;
  /** The live schema fingerprint when the plan was presented. */
  liveSchemaFingerprint: string;
  statementFingerprint: string;
  usage: TokenUsage;
  now?: Date;
}

function refuse(reason: RefusalReason, params: Record<string, unknown>, tokenId: string | null = null): VerifyResult {
  const error = new TripwireError(CODES[reason], params);
  return { ok: false, reason, message: error.message, error, tokenId };
}

/** Signature, then expiry, database, staleness, coverage and use, in that order: the first failure says why. */
export async function verifyPlanToken(token: string, r: VerifyRequest): Promise<VerifyResult> {
  const signed = await verifyPlanSignature(token, r.keys, r.now);
  if (!signed.ok) return signed;
  const { claims } = signed;
  if (claims.db !== r.database) return refuse('wrong-database', { planned: claims.db, database: r.database }, claims.jti);
  if (claims.schema !== r.liveSchemaFingerprint) return refuse('stale', {}, claims.jti);
  if (!claims.stmts.includes(r.statementFingerprint)) return refuse('wrong-statement', {}, claims.jti);
  if (r.usage.isUsed(claims.jti, r.statementFingerprint)) return refuse('used', { id: claims.jti }, claims.jti);
  return { ok: true, claims };
}

/**
 * Only the token itself: signed by a trusted key (picked by `kid`), unexpired, and with claims of
 * the right shape. What `tripwire plan verify` shows a person; the proxy needs verifyPlanToken.
 */
export async function verifyPlanSignature(token: string, keys: PlanPublicKeys | null, now?: Date): Promise<VerifyResult> {
  if (!keys) return refuse('no-keys', {});
  let kid: string | undefined;
  try {
    kid = decodeProtectedHeader(token).kid;
  } catch {
    return refuse('bad-signature', { detail: 'it is not a JWS token' });
  }
  const key = kid ? keys.byKid.get(kid) : undefined;
  if (!key) return refuse('bad-signature', { detail: `no configured public key has id ${kid ?? '(none)'}` });
  let payload: Record<string, unknown>;
  try {
    ({ payload } = await jwtVerify(token, key, { algorithms: [PLAN_ALG], typ: PLAN_TOKEN_TYPE, ...(now ? { currentDate: now } : {}) }));
  } catch (err) {
    if (err instanceof joseErrors.JWTExpired) return refuse('expired', { at: new Date(Number(err.payload.exp) * 1000).toISOString() }, String(err.payload.jti ?? '') || null);
    return refuse('bad-signature', { detail: (err as Error).message });
  }
  const claims = asPlanClaims(payload);
  if (!claims) return refuse('bad-signature', { detail: 'its claims are malformed' });
  return { ok: true, claims };
}
