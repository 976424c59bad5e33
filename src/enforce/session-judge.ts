import type { Logger } from 'pino';
import type { CatalogCache, CatalogSnapshot } from '../catalog/catalog-cache.js';
import { dataAtStake, type DataAtStake, type StakeOptions } from '../catalog/data-at-stake.js';
import { displayName, emptyCatalog, initialState, inspect, type Finding, type InspectResult, type InspectorState } from '../inspector/index.js';
import { decide } from '../policy/decide.js';
import { parseObjectName } from '../policy/match.js';
import type { FindingDecision, Policy, Verdict as PolicyVerdict } from '../policy/types.js';
import { PASS, watchTypes, type ErrorFields, type SessionInfo, type SessionInterceptor, type Verdict } from '../proxy/interceptor.js';
import type { NativeFilterHandle } from '../proxy/native-relay.js';
import { queryMessage } from '../proxy/protocol/frontend-messages.js';
import type { AuditEvent, AuditSink } from './audit-log.js';
import { provablyHarmlessMessage } from './harmless-scan.js';
import { heldError, warningNotice } from './held-message.js';
import type { NativeFilters } from './native-filters.js';
import { planSetStatement, PLAN_SETTING, type PlanTokens, type TokenCheck } from './plan-tokens.js';
import { sqlText } from './sql-text.js';
import { extractSetting } from './startup-options.js';
import { VerdictCache } from './verdict-cache.js';

export interface EnforcementDeps {
  policy(): Policy;
  catalogs: CatalogCache;
  tokens: PlanTokens;
  audit: AuditSink;
  cache: VerdictCache;
  stake: StakeOptions;
  /** How old the shared catalog may be when a statement needs judging (objects created outside the proxy). */
  catalogMaxAgeMs: number;
  /** The token of a session that presents none (the ship queue's released plans), or null. */
  defaultToken: string | null;
  /** The fast path below, in C, for the native relay. */
  filters: NativeFilters;
  log: Logger;
}

/** Rules whose damage is data that exists: live row counts decide "proven empty". */
const DATA_RULES = new Set(['drop-table', 'drop-column', 'truncate', 'delete-all-rows', 'update-all-rows', 'rename-as-drop', 'table-recreated', 'lossy-type-change', 'drop-type-cascade']);
/** Statements after which the shared catalog must be read again. */
const DDL = /^(CREATE|ALTER|DROP|TRUNCATE|COMMENT|GRANT|REVOKE|RENAME|REINDEX|CLUSTER|REFRESH)/;

const WATCHED = watchTypes('QP');

/**
 * One client session's judge: the inspector's session state, the plan token presented, and the
 * uses of it waiting for their transaction to commit. Most statements take the fast path and
 * return synchronously; anything that needs the database (catalog, data at stake) is a Promise.
 */
export class SessionJudge implements SessionInterceptor {
  readonly watches = WATCHED;
  readonly startupParameters?: ReadonlyMap<string, string>;
  /** judge()'s first line in C: the native relay passes what it proves without calling judge(). */
  readonly nativeFilter?: NativeFilterHandle;
  private readonly database: string;
  private readonly user: string | undefined;
  private readonly applicationName: string | undefined;
  private state: InspectorState | null = null;
  private base: CatalogSnapshot | null = null;
  private token: string | null;
  /** The live schema fingerprint when the token was presented: later DDL of this very migration must not make it stale. */
  private tokenSchema: string | null = null;
  private pendingUses: TokenCheck[] = [];
  private ddlSinceRefresh = false;
  private lockTimeoutInjected = false;

  constructor(
    private readonly info: SessionInfo,
    private readonly deps: EnforcementDeps,
  ) {
    const p = info.parameters;
    this.user = p.get('user');
    this.database = p.get('database') || this.user || 'postgres';
    this.applicationName = p.get('application_name');
    this.token = deps.defaultToken;
    const filter = deps.filters.forDatabase(this.database, deps.catalogs.current(this.database));
    if (filter) this.nativeFilter = filter;
    const options = p.get('options');
    if (options !== undefined) {
      const { value, rest } = extractSetting(options, PLAN_SETTING);
      if (value !== undefined) {
        this.token = value;
        const params = new Map(p);
        if (rest) params.set('options', rest);
        else params.delete('options');
        this.startupParameters = params;
      }
    }
  }

  judge(type: number, message: Buffer): Verdict | Promise<Verdict> {
    const snap = this.deps.catalogs.current(this.database);
    // Scanned in place: most statements pass here, and need no text decoded.
    if (snap && provablyHarmlessMessage(type, message, snap.routines)) return PASS;
    const sql = sqlText(type, message);
    if (!snap || Date.now() - snap.readAt > this.deps.catalogMaxAgeMs) {
      // Tables created on the server directly, not through this proxy, must not look absent.
      return this.deps.catalogs.refresh(this.database).then((fresh) => this.judgeText(sql, fresh), (err: unknown) => this.withoutCatalog(sql, err));
    }
    return this.judgeText(sql, snap);
  }

  private judgeText(sql: string, snap: CatalogSnapshot): Verdict | Promise<Verdict> {
    if (this.token !== null && this.tokenSchema === null) this.tokenSchema = snap.fingerprint;
    const state = this.sessionState(snap);
    const cacheable = state.catalog === snap.catalog;
    if (cacheable && this.deps.cache.has(snap, sql)) return PASS;
    const plan = planSetStatement(sql);
    if (plan) return this.presentToken(plan, snap);
    const result = inspect(sql, { state });
    const findings = this.relevant(result.findings);
    if (findings.length === 0) {
      if (cacheable && isStateNeutral(result)) this.deps.cache.add(snap, sql);
      return this.accept(result, PASS);
    }
    const verdict = decide(this.deps.policy(), findings, this.context());
    if (verdict.enforced !== 'hold') return this.settle(sql, result, verdict, []);
    return this.stakes(verdict).then((stakes) => {
      const empty = stakes.filter((s) => s.exact && s.values === 0).map((s) => displayOf(s));
      const again = empty.length > 0 ? decide(this.deps.policy(), findings, { ...this.context(), emptyObjects: empty }) : verdict;
      return this.settle(sql, result, again, stakes);
    });
  }

  /** The session's inspector state, re-based on a newer shared catalog between transactions. */
  private sessionState(snap: CatalogSnapshot): InspectorState {
    if (!this.state) {
      this.state = initialState(snap.catalog);
      this.base = snap;
    } else if (snap !== this.base && this.state.transaction === null && !this.ddlSinceRefresh) {
      this.state = { ...this.state, catalog: snap.catalog };
      this.base = snap;
    }
    return this.state;
  }

  private relevant(findings: readonly Finding[]): Finding[] {
    // With a lockTimeout policy tripwire sets lock_timeout itself, so its absence is no finding.
    const setsLockTimeout = this.deps.policy().lockTimeoutMs !== null;
    return findings.filter((f) => !f.suppressed && !(setsLockTimeout && f.rule === 'missing-lock-timeout'));
  }

  private context() {
    return { database: this.database, ...(this.user ? { role: this.user } : {}), ...(this.applicationName ? { applicationName: this.applicationName } : {}) };
  }

  private async stakes(verdict: PolicyVerdict<Finding>): Promise<DataAtStake[]> {
    const seen = new Set<string>();
    const out: DataAtStake[] = [];
    for (const d of verdict.decisions) {
      if (d.enforced !== 'hold' || !DATA_RULES.has(d.finding.rule)) continue;
      for (const object of d.finding.objects) {
        const name = parseObjectName(object);
        if (!name || seen.has(object)) continue;
        seen.add(object);
        const target = { schema: name.schema, table: name.table, ...(name.column ? { column: name.column } : {}) };
        try {
          const stake = await this.deps.catalogs.withClient(this.database, (c) => dataAtStake(c, target, this.deps.stake));
          if (stake) out.push(stake);
        } catch (err) {
          this.deps.log.warn({ err: String(err), object }, 'could not measure the data at stake; assuming it holds data');
        }
      }
    }
    return out;
  }

  private async settle(sql: string, result: InspectResult, verdict: PolicyVerdict<Finding>, stakes: DataAtStake[]): Promise<Verdict> {
    const holds = verdict.decisions.filter((d) => d.enforced === 'hold');
    if (holds.length > 0 && verdict.mode === 'enforce') {
      const check = this.token ? await this.deps.tokens.check(this.token, sql, holds, this.database, this.tokenSchema ?? this.base!.fingerprint) : null;
      if (check?.ok) {
        this.pendingUses.push(...check.uses);
        this.audit('allowed-by-token', sql, holds, stakes, 'pass', check.tokenId);
        const notice: ErrorFields = { severity: 'NOTICE', code: '00000', message: `tripwire: allowed by plan ${check.tokenId}: ${holds[0]!.finding.message}` };
        return this.accept(result, { action: 'notice', notice });
      }
      const first = holds[0]!;
      const refusal = check && !check.ok ? { code: check.sqlstate, message: check.message } : undefined;
      this.audit('held', sql, holds, stakes, 'hold', check && !check.ok ? check.tokenId : null, refusal?.message);
      this.deps.log.warn({ conn: this.info.id, rule: first.finding.rule, objects: first.finding.objects }, 'statement held');
      return { action: 'refuse', error: heldError(first.finding, stakes.filter((s) => first.finding.objects.includes(displayOf(s))), first.reason, refusal) };
    }
    if (holds.length > 0) {
      this.audit('would-hold', sql, holds, stakes, 'pass (observe mode)', null);
      this.deps.log.warn({ conn: this.info.id, rule: holds[0]!.finding.rule }, 'observe mode: would have held');
      return this.accept(result, { action: 'notice', notice: { severity: 'WARNING', code: '01000', message: `tripwire (observe mode) would hold: ${holds[0]!.finding.message}` } });
    }
    const empties = verdict.decisions.filter((d) => d.action === 'notice');
    if (empties.length > 0) {
      this.audit('passed-empty', sql, empties, stakes, 'pass', null);
      const notice: ErrorFields = { severity: 'NOTICE', code: '00000', message: `tripwire: ${empties[0]!.finding.message} — passed: the data at stake is proven empty` };
      return this.accept(result, { action: 'notice', notice });
    }
    const warns = verdict.decisions.filter((d) => d.action === 'warn');
    if (warns.length > 0) {
      this.audit('warned', sql, warns, stakes, 'warn', null);
      return this.accept(result, { action: 'notice', notice: warningNotice(warns[0]!.finding) });
    }
    return this.accept(result, PASS);
  }

  /** The statement goes ahead: keep the state it leads to, and set lock_timeout first if policy asks. */
  private accept(result: InspectResult, verdict: Verdict): Verdict {
    this.state = result.state;
    if (result.statements.some((s) => DDL.test(s.kind))) this.ddlSinceRefresh = true;
    if (result.statements.some((s) => s.kind === 'ROLLBACK')) this.pendingUses = [];
    const ms = this.deps.policy().lockTimeoutMs;
    const exclusive = result.statements.some((s) => s.lock === 'ACCESS EXCLUSIVE');
    if (ms === null || !exclusive || this.lockTimeoutInjected || result.state.lockTimeout || result.state.transaction?.localLockTimeout) return verdict;
    this.lockTimeoutInjected = true;
    const internal = queryMessage(`SET lock_timeout = '${Math.floor(ms)}ms'`);
    return verdict.action === 'pass' || verdict.action === 'notice' ? { ...verdict, internal } : verdict;
  }

  private async presentToken(plan: { token: string; alone: boolean }, snap: CatalogSnapshot): Promise<Verdict> {
    if (!plan.alone) {
      return { action: 'refuse', error: { severity: 'ERROR', code: 'TW010', message: 'SET tripwire.plan must be sent on its own, not with other statements' } };
    }
    this.token = plan.token;
    this.tokenSchema = snap.fingerprint;
    // The server sees a harmless SET of the same placeholder, so the client gets the reply it expects.
    return { action: 'replace', upstream: queryMessage(`SET ${PLAN_SETTING} = 'presented'`) };
  }

  private async withoutCatalog(sql: string, err: unknown): Promise<Verdict> {
    this.deps.log.error({ database: this.database, err: String(err) }, 'cannot read the catalog: judging without it');
    const state = this.state ?? initialState(emptyCatalog('partial'));
    const result = inspect(sql, { state });
    const findings = this.relevant(result.findings);
    if (findings.length === 0) return this.accept(result, PASS);
    const verdict = decide(this.deps.policy(), findings, this.context());
    return this.settle(sql, result, verdict, []);
  }

  /** Only token uses waiting for their commit, or DDL that calls for a catalog refresh, need it. */
  readyForQueryNeeded(): boolean {
    return this.pendingUses.length > 0 || this.ddlSinceRefresh;
  }

  readyForQuery(status: 'I' | 'T' | 'E', failed: boolean): void {
    if (failed || status === 'E') this.pendingUses = [];
    else if (status === 'I' && this.pendingUses.length > 0) {
      for (const use of this.pendingUses) this.deps.tokens.markUsed(use);
      this.pendingUses = [];
    }
    if (status === 'I' && this.ddlSinceRefresh) {
      this.ddlSinceRefresh = false;
      this.deps.catalogs.refresh(this.database).catch((err: unknown) => this.deps.log.warn({ err: String(err) }, 'catalog refresh failed'));
    }
  }

  private audit(event: AuditEvent, sql: string, decisions: readonly FindingDecision<Finding>[], stakes: readonly DataAtStake[], verdict: string, tokenId: string | null, refusal?: string): void {
    this.deps.audit.record({
      event,
      user: this.user,
      database: this.database,
      applicationName: this.applicationName,
      client: this.info.clientAddress,
      statement: sql,
      rules: decisions.map((d) => d.finding.rule),
      statements: [...new Set(decisions.map((d) => d.finding.statement))],
      objects: [...new Set(decisions.flatMap((d) => d.finding.objects))],
      verdict,
      reason: [decisions.map((d) => d.reason).join('; '), stakes.length ? `at stake: ${stakes.map((s) => `${displayOf(s)}=${s.exact ? '' : '~'}${s.values}`).join(', ')}` : '', refusal ?? ''].filter(Boolean).join(' | '),
      tokenId,
    });
  }
}

function displayOf(s: DataAtStake): string {
  return displayName({ schema: s.schema, name: s.table }, s.column);
}

/** Statements whose judgement depends only on their text: safe to remember by text. */
const NEUTRAL = new Set(['SELECT', 'INSERT', 'VALUES', 'SHOW', 'LISTEN', 'NOTIFY', 'UNLISTEN', 'EXPLAIN', 'COPY']);
function isStateNeutral(result: InspectResult): boolean {
  return result.statements.every((s) => NEUTRAL.has(s.kind));
}
