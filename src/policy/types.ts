/**
 * The policy model: what a loaded, validated and frozen policy looks like, and what `decide()`
 * returns. docs/policies.md describes the file format these come from.
 */
import type { Severity } from '../inspector/rules/types.js';
import type { ProxyLimits } from '../proxy/limits.js';

export type { Severity };

/** What a policy may say about a finding. */
export type Action = 'hold' | 'warn' | 'allow';
/** What a decision may say: `notice` is a hold relaxed because the data at stake is proven empty. */
export type DecisionAction = Action | 'notice';
export type Mode = 'enforce' | 'observe';
export type EmptyObjectsAction = 'notice' | 'hold';
export type DynamicSqlAction = 'hold' | 'warn';

/** Where a setting was written: a file and a 1-based line. `file` is `(built-in)` for defaults. */
export interface SourceRef {
  readonly file: string;
  readonly line: number;
}

/** The dimensions a scope or an exemption matches. Each holds glob patterns (`*`, `?`); any one may match. */
export interface Match {
  readonly database?: readonly string[];
  readonly schema?: readonly string[];
  readonly table?: readonly string[];
  readonly column?: readonly string[];
  readonly role?: readonly string[];
  readonly applicationName?: readonly string[];
}

export const MATCH_KEYS = ['database', 'schema', 'table', 'column', 'role', 'applicationName'] as const;
export type MatchKey = (typeof MATCH_KEYS)[number];

/**
 * The settings a layer (the policy's top level, or a scope) may give. A key that is absent says
 * nothing, and the next layer down decides. `origins` says where each given key was written,
 * by its path: `severity.block`, `rules.drop-column`, `emptyObjects`, `unresolvedDynamicSql`.
 */
export interface Settings {
  readonly severity: Readonly<Partial<Record<Severity, Action>>>;
  readonly rules: Readonly<Record<string, Action>>;
  readonly emptyObjects?: EmptyObjectsAction;
  readonly unresolvedDynamicSql?: DynamicSqlAction;
  readonly origins: Readonly<Record<string, SourceRef>>;
}

export interface Scope extends Settings {
  /** The scope's `name`, or `scopes[i]` (its place in the merged list) when it has none. */
  readonly name: string;
  readonly match: Match;
  /** How many match keys it gives: the more, the more specific. */
  readonly specificity: number;
  /** Its place in the merged list: among equally specific scopes, the later one wins. */
  readonly order: number;
  readonly source: SourceRef;
}

export interface Exemption {
  readonly rules: readonly string[];
  readonly match: Match;
  readonly reason: string;
  readonly source: SourceRef;
}

/** A loaded policy: complete (defaults filled in), validated, and deeply frozen. */
export interface Policy {
  readonly version: 1;
  readonly mode: Mode;
  /** The top-level settings, with every severity, emptyObjects and unresolvedDynamicSql filled in. */
  readonly base: Settings & {
    readonly severity: Readonly<Record<Severity, Action>>;
    readonly emptyObjects: EmptyObjectsAction;
    readonly unresolvedDynamicSql: DynamicSqlAction;
  };
  /** Milliseconds for `SET lock_timeout` before ACCESS EXCLUSIVE DDL, or null to leave sessions alone. */
  readonly lockTimeoutMs: number | null;
  /** Only the limits the policy sets; the proxy keeps its own values for the others. */
  readonly limits: Readonly<Partial<ProxyLimits>>;
  readonly scopes: readonly Scope[];
  readonly exemptions: readonly Exemption[];
  /** The files it was read from, in merge order (or the name given to `parsePolicy`). */
  readonly sources: readonly string[];
}

/** One problem found in a policy file, with its place. Line and column are 1-based. */
export interface PolicyIssue {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  /** The field, as `rules.drop-colum` or `exemptions[0].reason`; `(file)` for the file as a whole. */
  readonly path: string;
  readonly message: string;
}

/** What decide() needs to know about a finding; the inspector's Finding has all of it. */
export interface PolicyFinding {
  readonly rule: string;
  readonly severity: Severity;
  /** `schema.table` or `schema.table.column`, as display names (quoted where needed). */
  readonly objects: readonly string[];
}

export interface DecisionContext {
  readonly database?: string;
  readonly role?: string;
  readonly applicationName?: string;
  /**
   * Tables and columns that live data proves empty, as display names. A column is also empty when
   * its table is in the set.
   */
  readonly emptyObjects?: ReadonlySet<string> | readonly string[];
}

/** Which part of the policy decided. */
export type DecidedBy =
  | { readonly kind: 'exemption'; readonly index: number; readonly reason: string; readonly source: SourceRef }
  | { readonly kind: 'scope'; readonly scope: string; readonly key: string; readonly source: SourceRef }
  | { readonly kind: 'policy'; readonly key: string; readonly source: SourceRef }
  | { readonly kind: 'empty'; readonly objects: readonly string[]; readonly key: string; readonly source: SourceRef };

export interface FindingDecision<F extends PolicyFinding = PolicyFinding> {
  readonly finding: F;
  /** What happens: never `hold` in observe mode. */
  readonly action: DecisionAction;
  /** What enforce mode does: equal to `action` unless observe mode relaxed a hold. */
  readonly enforced: DecisionAction;
  /** The object whose resolution decided (the strictest), or null for a finding without objects. */
  readonly object: string | null;
  readonly by: DecidedBy;
  /** One line for logs and for the client's DETAIL: which rule, object, and setting decided. */
  readonly reason: string;
}

export interface Verdict<F extends PolicyFinding = PolicyFinding> {
  readonly mode: Mode;
  /** The strongest action over all findings (`allow` when there are none); never `hold` in observe mode. */
  readonly action: DecisionAction;
  /** The strongest action enforce mode takes. In observe mode, `hold` here is what gets logged. */
  readonly enforced: DecisionAction;
  readonly decisions: readonly FindingDecision<F>[];
}
