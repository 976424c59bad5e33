/** What a plan token says. Short names keep tokens short enough for a connection string. */
export interface PlanClaims {
  /** The database it is for. */
  readonly db: string;
  /** The schema fingerprint it was planned against. */
  readonly schema: string;
  /** Fingerprints of the exact statements it authorizes. */
  readonly stmts: readonly string[];
  readonly jti: string;
  readonly iat: number;
  readonly exp: number;
  /** The ship-queue change it was released for, if any. */
  readonly change?: string;
  readonly iss?: string;
}

export const PLAN_TOKEN_TYPE = 'tripwire-plan+jwt';

function isStringArray(v: unknown): v is string[] {
  return Array.isArray(v) && v.every((x) => typeof x === 'string');
}

/** The payload as PlanClaims, or null when a field is missing or of the wrong type. */
export function asPlanClaims(p: Record<string, unknown>): PlanClaims | null {
  if (typeof p.db !== 'string' || typeof p.schema !== 'string' || !isStringArray(p.stmts)) return null;
  if (typeof p.jti !== 'string' || typeof p.iat !== 'number' || typeof p.exp !== 'number') return null;
  if (p.change !== undefined && typeof p.change !== 'string') return null;
  if (p.iss !== undefined && typeof p.iss !== 'string') return null;
  return p as unknown as PlanClaims;
}
