/** Plan tokens: Ed25519-signed JWS that authorize exactly the planned statements. docs/plan-tokens.md. */
export { asPlanClaims, PLAN_TOKEN_TYPE, type PlanClaims } from './claims.js';
export { schemaFingerprint, scriptFingerprints, statementFingerprint } from './fingerprint.js';
export { readPrivateKey, readPublicKeys, writeKeyPair, type PlanPrivateKey, type PlanPublicKeys } from './keys.js';
export { signPlanToken, type SignRequest } from './sign.js';
export { MemoryTokenUsage, type TokenUsage } from './usage.js';
export { verifyPlanSignature, verifyPlanToken, type RefusalReason, type VerifyRequest, type VerifyResult } from './verify.js';
