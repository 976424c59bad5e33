/**
 * Findings → verdict. Pure: the policy, the findings and the session's facts in, decisions out.
 *
 * For each object a finding names (or once, for a finding without objects):
 *   1. an exemption for the rule that matches → allow;
 *   2. otherwise the matching scopes, most specific first (ties: the later scope), then the
 *      policy's top level: the first layer that sets the rule id decides, or failing that its
 *      severity (dynamic-sql is decided by `unresolvedDynamicSql` alone).
 * The finding takes the strictest of its objects' actions (hold > warn > notice > allow). A hold of
 * a drop whose data lives only in objects proven empty becomes a notice, unless `emptyObjects: hold`
 * applies to any of its objects. The statement takes the strictest of its findings. Observe mode
 * reports `enforced: hold` and acts as allow.
 */
import { matches, parseObjectName, type ObjectName } from './match.js';
import { DYNAMIC_SQL_RULE } from './rule-ids.js';
import type { DecidedBy, DecisionAction, DecisionContext, FindingDecision, Policy, PolicyFinding, Scope, Settings, SourceRef, Verdict } from './types.js';

const STRENGTH: Readonly<Record<DecisionAction, number>> = { allow: 0, notice: 1, warn: 2, hold: 3 };

/**
 * Rules whose harm is destroying the data in their objects, and which of those objects hold it:
 * `first` (the dropped table or column; the rest are views CASCADE takes, or a column added back),
 * or `all`.
 */
export const EMPTY_AWARE_RULES: ReadonlyMap<string, 'first' | 'all'> = new Map([
  ['drop-table', 'first'],
  ['drop-column', 'first'],
  ['rename-as-drop', 'first'],
  ['table-recreated', 'first'],
  ['lossy-type-change', 'first'],
  ['truncate', 'all'],
  ['delete-all-rows', 'all'],
  ['update-all-rows', 'all'],
]);

export function stronger(a: DecisionAction, b: DecisionAction): DecisionAction {
  return STRENGTH[b] > STRENGTH[a] ? b : a;
}

type Layer = { readonly settings: Settings; readonly scope: Scope | null };

const precedence = new WeakMap<Policy, readonly Scope[]>();

/** Scopes, most specific first; among equally specific ones, the later first. */
function scopesByPrecedence(policy: Policy): readonly Scope[] {
  let sorted = precedence.get(policy);
  if (!sorted) {
    sorted = [...policy.scopes].sort((a, b) => b.specificity - a.specificity || b.order - a.order);
    precedence.set(policy, sorted);
  }
  return sorted;
}

function layersFor(policy: Policy, ctx: DecisionContext, object: ObjectName | null): Layer[] {
  const layers: Layer[] = scopesByPrecedence(policy)
    .filter((s) => matches(s.match, ctx, object))
    .map((s) => ({ settings: s, scope: s }));
  layers.push({ settings: policy.base, scope: null });
  return layers;
}

function setting(s: Settings, key: string): string | undefined {
  const dot = key.indexOf('.');
  if (dot < 0) return key === 'emptyObjects' ? s.emptyObjects : key === 'unresolvedDynamicSql' ? s.unresolvedDynamicSql : undefined;
  const [group, name] = [key.slice(0, dot), key.slice(dot + 1)];
  const map = (group === 'rules' ? s.rules : s.severity) as Readonly<Record<string, string>>;
  return Object.hasOwn(map, name) ? map[name] : undefined;
}

/** The first layer that sets one of the keys (in order), and its value. The base sets every fallback key. */
function lookup(layers: readonly Layer[], keys: readonly string[]): { value: string; key: string; layer: Layer } {
  for (const layer of layers) {
    for (const key of keys) {
      const value = setting(layer.settings, key);
      if (value !== undefined) return { value, key, layer };
    }
  }
  throw new Error(`policy has no value for ${keys.join(' or ')}`);
}

function origin(layer: Layer, key: string): SourceRef {
  return layer.settings.origins[key] ?? { file: '(built-in)', line: 0 };
}

function decidedBy(layer: Layer, key: string): DecidedBy {
  const source = origin(layer, key);
  return layer.scope ? { kind: 'scope', scope: layer.scope.name, key, source } : { kind: 'policy', key, source };
}

interface Resolved {
  readonly action: DecisionAction;
  readonly object: ObjectName | null;
  readonly by: DecidedBy;
}

function resolveObject(policy: Policy, f: PolicyFinding, ctx: DecisionContext, object: ObjectName | null): Resolved {
  const index = policy.exemptions.findIndex((ex) => ex.rules.includes(f.rule) && matches(ex.match, ctx, object));
  if (index >= 0) {
    const ex = policy.exemptions[index]!;
    return { action: 'allow', object, by: { kind: 'exemption', index, reason: ex.reason, source: ex.source } };
  }
  const keys = f.rule === DYNAMIC_SQL_RULE ? ['unresolvedDynamicSql'] : [`rules.${f.rule}`, `severity.${f.severity}`];
  const found = lookup(layersFor(policy, ctx, object), keys);
  return { action: found.value as DecisionAction, object, by: decidedBy(found.layer, found.key) };
}

function provenEmpty(o: ObjectName, empty: ReadonlySet<string>): boolean {
  return empty.has(o.display) || (o.column !== undefined && empty.has(o.tableDisplay));
}

/** A hold of a drop whose data objects are all proven empty: notice, unless any object's layers say `emptyObjects: hold`. */
function relaxEmpty(policy: Policy, f: PolicyFinding, ctx: DecisionContext, objects: readonly ObjectName[], empty: ReadonlySet<string>): Resolved | null {
  const which = EMPTY_AWARE_RULES.get(f.rule);
  if (!which || objects.length === 0 || objects.length !== f.objects.length) return null;
  const data = which === 'first' ? objects.slice(0, 1) : objects;
  if (!data.every((o) => provenEmpty(o, empty))) return null;
  let decisive: { value: string; layer: Layer } | null = null;
  for (const o of objects) {
    const found = lookup(layersFor(policy, ctx, o), ['emptyObjects']);
    if (decisive === null || (found.value === 'hold' && decisive.value !== 'hold')) decisive = found;
  }
  if (!decisive || decisive.value === 'hold') return null;
  const by: DecidedBy = { kind: 'empty', objects: data.map((o) => o.display), key: 'emptyObjects', source: origin(decisive.layer, 'emptyObjects') };
  return { action: 'notice', object: data[0]!, by };
}

function where(source: SourceRef): string {
  return source.line === 0 ? 'built-in default' : `${source.file}:${source.line}`;
}

export function describeDecision(f: PolicyFinding, r: Resolved, observed: boolean): string {
  const subject = r.object ? `${f.rule} on ${r.object.display}` : f.rule;
  const b = r.by;
  let why: string;
  if (b.kind === 'exemption') why = `exemption ${b.index + 1} (${where(b.source)}): ${b.reason}`;
  else if (b.kind === 'scope') why = `scope "${b.scope}" ${b.key} (${where(b.source)})`;
  else if (b.kind === 'policy') why = `${b.key} (${where(b.source)})`;
  else why = `${b.objects.join(', ')} proven empty, emptyObjects: notice (${where(b.source)})`;
  return `${subject}: ${r.action} by ${why}${observed ? '; observe mode: not held' : ''}`;
}

function decideFinding<F extends PolicyFinding>(policy: Policy, f: F, ctx: DecisionContext, empty: ReadonlySet<string>): FindingDecision<F> {
  const parsed = f.objects.map(parseObjectName).filter((o): o is ObjectName => o !== null);
  // An object the policy cannot read is judged like a finding without objects: only unscoped settings apply.
  const targets: (ObjectName | null)[] = parsed.length === f.objects.length && parsed.length > 0 ? parsed : [null];
  let pick: Resolved | null = null;
  for (const t of targets) {
    const r = resolveObject(policy, f, ctx, t);
    if (pick === null || STRENGTH[r.action] > STRENGTH[pick.action]) pick = r;
  }
  let resolved = pick!;
  if (resolved.action === 'hold') resolved = relaxEmpty(policy, f, ctx, parsed, empty) ?? resolved;
  const observed = policy.mode === 'observe' && resolved.action === 'hold';
  return {
    finding: f,
    action: observed ? 'allow' : resolved.action,
    enforced: resolved.action,
    object: resolved.object?.display ?? null,
    by: resolved.by,
    reason: describeDecision(f, resolved, observed),
  };
}

/** Decides every finding of one inspected text (a statement, or a multi-statement Query judged as a whole). */
export function decide<F extends PolicyFinding>(policy: Policy, findings: readonly F[], ctx: DecisionContext = {}): Verdict<F> {
  const empty: ReadonlySet<string> = ctx.emptyObjects instanceof Set ? ctx.emptyObjects : new Set(ctx.emptyObjects ?? []);
  const decisions = findings.map((f) => decideFinding(policy, f, ctx, empty));
  let action: DecisionAction = 'allow';
  let enforced: DecisionAction = 'allow';
  for (const d of decisions) {
    action = stronger(action, d.action);
    enforced = stronger(enforced, d.enforced);
  }
  return { mode: policy.mode, action, enforced, decisions };
}
