/**
 * The proxy's side of the ship queue: plan tokens checked against the keys in the state database
 * (plus any `--plan-public-key`), uses shared by every instance, revocations honoured, and the
 * tokens the queue released found without the client presenting one (RELEASED_PLANS). When the
 * proxy has let every statement of a released token through, the change is recorded as applied.
 */
import { decodeProtectedHeader, decodeJwt, importSPKI } from 'jose';
import type { Logger } from 'pino';
import type { CatalogCache } from '../catalog/catalog-cache.js';
import { heldStatementNodes, type CheckResult, type PlanTokens, type TokenCheck } from '../enforce/plan-tokens.js';
import { planTokenGate } from '../enforce/token-gate.js';
import { TripwireError } from '../errors.js';
import { MemoryTokenUsage, statementFingerprint, type PlanPublicKeys } from '../policy/tokens/index.js';
import { PLAN_ALG } from '../policy/tokens/keys.js';
import type { StateEvents } from '../state/events.js';
import type { StateDb } from '../state/state-db.js';
import { readLive } from './live.js';
import { reconcile } from './reconcile.js';
import { liveTokens, planKeys, recordTokenUse, tokenById, type ReleasedToken } from './token-store.js';

/** The token value that means "whatever the ship queue released for this database". */
export const RELEASED_PLANS = '@released';

type Key = PlanPublicKeys['byKid'] extends ReadonlyMap<string, infer K> ? K : never;

const REASONS: Record<string, string> = {
  TW001: 'none-released',
  TW002: 'bad-signature',
  TW003: 'expired',
  TW004: 'wrong-database',
  TW005: 'wrong-statement',
  TW006: 'used',
  TW007: 'stale',
  TW008: 'no-keys',
  TW020: 'revoked',
};

export type TokenOutcome = (result: 'accepted' | 'refused', reason: string) => void;

export interface StatePlanTokensOptions {
  db: StateDb;
  events: StateEvents;
  /** Target catalogs, to record a change applied with its new fingerprint. */
  catalogs: CatalogCache;
  /** `--plan-public-key`, trusted besides the keys published in the state database. */
  fileKeys?: PlanPublicKeys | null;
  logger: Logger;
  onOutcome?: TokenOutcome;
  /** How long a database's released tokens are remembered without an announcement; default 10 s. */
  cacheMs?: number;
}

export class StatePlanTokens implements PlanTokens {
  /** Token uses as the state database knows them, mirrored for the synchronous TokenUsage interface. */
  private readonly usage = new MemoryTokenUsage();
  private keys: Map<string, Key>;
  private readonly released = new Map<string, { at: number; tokens: Promise<ReleasedToken[]> }>();
  private readonly unsubscribe: () => void;

  constructor(private readonly o: StatePlanTokensOptions) {
    this.keys = new Map(o.fileKeys?.byKid ?? []);
    this.unsubscribe = o.events.subscribe((e) => {
      if (e.type === 'release' || e.type === 'revoke' || e.type === 'applied' || e.type === 'change') this.released.delete(e.target);
      if (e.type === 'resync') this.released.clear();
    });
  }

  close(): void {
    this.unsubscribe();
  }

  async check(token: string, sql: string, holds: Parameters<PlanTokens['check']>[2], database: string, live: string): Promise<CheckResult> {
    const result = token === RELEASED_PLANS ? await this.checkReleased(sql, holds, database, live) : await this.checkOne(token, sql, holds, database, live);
    this.o.onOutcome?.(result.ok ? 'accepted' : 'refused', result.ok ? 'valid' : (REASONS[result.sqlstate] ?? result.sqlstate));
    return result;
  }

  markUsed(use: TokenCheck): void {
    this.usage.markUsed(use.tokenId, use.statement, use.expiresAt);
    void this.recordUse(use).catch((err: unknown) => this.o.logger.error({ err: String(err), token: use.tokenId }, 'could not record a plan token use in the state database'));
  }

  private async releasedFor(database: string): Promise<ReleasedToken[]> {
    const hit = this.released.get(database);
    if (hit && Date.now() - hit.at < (this.o.cacheMs ?? 10_000)) return hit.tokens;
    const tokens = liveTokens(this.o.db.pool, database);
    this.released.set(database, { at: Date.now(), tokens });
    tokens.catch(() => this.released.delete(database));
    return tokens;
  }

  /**
   * The released tokens for the database that cover every held statement, in release order: the
   * first the proxy accepts wins. Tokens for other statements are not tried, so their refusals
   * (stale, used) never stand in for "nothing was released for this".
   */
  private async checkReleased(sql: string, holds: Parameters<PlanTokens['check']>[2], database: string, live: string): Promise<CheckResult> {
    const wanted = heldStatementNodes(sql, holds).map(statementFingerprint);
    const candidates = (await this.releasedFor(database)).filter((t) => wanted.length > 0 && wanted.every((f) => t.statements.includes(f)));
    let refusal: CheckResult | null = null;
    for (const t of candidates) {
      const r = await this.checkOne(t.token, sql, holds, database, live);
      if (r.ok) return r;
      refusal ??= r;
    }
    if (refusal) return refusal;
    const err = new TripwireError('TW_NOT_RELEASED', { database });
    return { ok: false, tokenId: null, sqlstate: err.sqlstate!, message: err.message };
  }

  private async checkOne(token: string, sql: string, holds: Parameters<PlanTokens['check']>[2], database: string, live: string): Promise<CheckResult> {
    let jti: string | undefined;
    let exp: number | undefined;
    try {
      const kid = decodeProtectedHeader(token).kid;
      if (kid && !this.keys.has(kid)) await this.loadStateKeys();
      ({ jti, exp } = decodeJwt(token));
    } catch {
      // Not a JWS: the gate says so.
    }
    if (jti) await this.loadUses(jti, exp);
    const result = await planTokenGate(this.keys.size > 0 ? { byKid: this.keys } : null, this.usage).check(token, sql, holds, database, live);
    if (!result.ok || !jti) return result;
    const row = await tokenById(this.o.db.pool, jti);
    if (row?.revokedAt) {
      const err = new TripwireError('TW_TOKEN_REVOKED', { change: row.changeId, reason: row.revokedReason ?? 'revoked' });
      return { ok: false, tokenId: jti, sqlstate: err.sqlstate!, message: err.message };
    }
    return result;
  }

  private async loadStateKeys(): Promise<void> {
    const next = new Map(this.keys);
    for (const k of await planKeys(this.o.db.pool)) {
      if (!next.has(k.kid)) next.set(k.kid, (await importSPKI(k.publicKey, PLAN_ALG)) as Key);
    }
    this.keys = next;
  }

  private async loadUses(tokenId: string, expiresAt: number | undefined): Promise<void> {
    const { rows } = await this.o.db.pool.query<{ statement: string }>('SELECT statement FROM tripwire.token_uses WHERE token_id = $1', [tokenId]);
    for (const r of rows) this.usage.markUsed(tokenId, r.statement, expiresAt);
  }

  private async recordUse(use: TokenCheck): Promise<void> {
    const { token, usedUp } = await this.o.db.tx((c) => recordTokenUse(c, use.tokenId, use.statement));
    if (!token || !usedUp) return;
    const live = await readLive(this.o.catalogs, token.target);
    const moved = await this.o.db.txForTarget(token.target, (c) => reconcile(c, token.target, live));
    for (const m of moved) this.o.logger.info({ change: m.id, from: m.from, to: m.to, reason: m.reason }, 'ship queue: change moved');
  }
}
