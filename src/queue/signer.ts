/**
 * What the queue needs to mint plan tokens at release. The private key stays on the admin side;
 * its public half is published in the state database so every proxy sharing it can verify.
 */
export interface SignRequest {
  database: string;
  schemaFingerprint: string;
  /** The exact statements (SQL texts) the token authorizes. */
  statements: readonly string[];
  /** The ship-queue change, recorded in the token. */
  change?: string;
}

export interface SignedPlan {
  id: string;
  token: string;
  expiresAt: Date;
  /** Statement fingerprints, as the proxy reports uses of them. */
  statements: string[];
}

export interface PlanSigner {
  /** Key id, and the public key as proxies load it. */
  readonly kid: string;
  readonly publicKey: string;
  sign(request: SignRequest): Promise<SignedPlan>;
}
