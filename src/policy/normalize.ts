/**
 * Validated fragments (one per file, in merge order) → one complete, frozen Policy.
 *
 * Merge: scalar settings (mode, emptyObjects, unresolvedDynamicSql, lockTimeout) from a later file
 * replace earlier ones; maps (severity, rules, limits) merge key by key, later keys winning; scopes
 * and exemptions are appended in file order.
 */
import { parseDuration } from './checks.js';
import type { Fragment, RawMatch, RawSettings } from './parse.js';
import type { Segment } from './positions.js';
import {
  MATCH_KEYS,
  type Action,
  type DynamicSqlAction,
  type EmptyObjectsAction,
  type Exemption,
  type Match,
  type Mode,
  type Policy,
  type Scope,
  type Severity,
  type SourceRef,
} from './types.js';
import type { ProxyLimits } from '../proxy/limits.js';

export const BUILT_IN: SourceRef = Object.freeze({ file: '(built-in)', line: 0 });

/** Secure defaults: with no policy at all, block findings hold and warn findings warn. */
export const DEFAULT_SEVERITY_ACTIONS: Readonly<Record<Severity, Action>> = Object.freeze({ block: 'hold', warn: 'warn', info: 'allow' });

export function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value as object)) deepFreeze(v);
  }
  return value;
}

interface MutableSettings {
  severity: Partial<Record<Severity, Action>>;
  rules: Record<string, Action>;
  emptyObjects?: EmptyObjectsAction;
  unresolvedDynamicSql?: DynamicSqlAction;
  origins: Record<string, SourceRef>;
}

/** Adds a file's settings (at `at`) over `into`, recording where each came from. */
function overlay(into: MutableSettings, raw: RawSettings, at: readonly Segment[], frag: Fragment): void {
  for (const [sev, action] of Object.entries(raw.severity ?? {}) as [Severity, Action][]) {
    into.severity[sev] = action;
    into.origins[`severity.${sev}`] = frag.source([...at, 'severity', sev]);
  }
  for (const [id, action] of Object.entries(raw.rules ?? {})) {
    into.rules[id] = action;
    into.origins[`rules.${id}`] = frag.source([...at, 'rules', id]);
  }
  if (raw.emptyObjects !== undefined) {
    into.emptyObjects = raw.emptyObjects;
    into.origins.emptyObjects = frag.source([...at, 'emptyObjects']);
  }
  if (raw.unresolvedDynamicSql !== undefined) {
    into.unresolvedDynamicSql = raw.unresolvedDynamicSql;
    into.origins.unresolvedDynamicSql = frag.source([...at, 'unresolvedDynamicSql']);
  }
}

function normalizeMatch(raw: RawMatch): Match {
  const out: Record<string, readonly string[]> = {};
  for (const key of MATCH_KEYS) {
    const v = raw[key];
    if (v !== undefined) out[key] = typeof v === 'string' ? [v] : [...v];
  }
  return out as Match;
}

function emptySettings(): MutableSettings {
  return { severity: {}, rules: {}, origins: {} };
}

/** Builds the policy. The fragments must have passed parsePolicyText; `[]` gives the built-in defaults. */
export function buildPolicy(fragments: readonly Fragment[]): Policy {
  const base = emptySettings();
  for (const sev of Object.keys(DEFAULT_SEVERITY_ACTIONS) as Severity[]) {
    base.severity[sev] = DEFAULT_SEVERITY_ACTIONS[sev];
    base.origins[`severity.${sev}`] = BUILT_IN;
  }
  base.emptyObjects = 'notice';
  base.unresolvedDynamicSql = 'hold';
  base.origins.emptyObjects = BUILT_IN;
  base.origins.unresolvedDynamicSql = BUILT_IN;
  let mode: Mode = 'enforce';
  let lockTimeoutMs: number | null = null;
  const limits: Partial<ProxyLimits> = {};
  const scopes: Scope[] = [];
  const exemptions: Exemption[] = [];
  for (const frag of fragments) {
    const d = frag.data;
    overlay(base, d, [], frag);
    if (d.mode !== undefined) mode = d.mode;
    if (d.lockTimeout !== undefined) lockTimeoutMs = parseDuration(d.lockTimeout);
    Object.assign(limits, d.limits ?? {});
    (d.scopes ?? []).forEach((raw, i) => {
      const s = emptySettings();
      overlay(s, raw, ['scopes', i], frag);
      const match = normalizeMatch(raw.match);
      const source = frag.source(['scopes', i]);
      scopes.push({ ...s, name: raw.name ?? `scopes[${i}]`, match, specificity: Object.keys(match).length, order: scopes.length, source });
    });
    (d.exemptions ?? []).forEach((raw, i) => {
      exemptions.push({ rules: [...raw.rules], match: normalizeMatch(raw.match), reason: raw.reason.trim(), source: frag.source(['exemptions', i]) });
    });
  }
  const policy: Policy = {
    version: 1,
    mode,
    base: base as Policy['base'],
    lockTimeoutMs,
    limits,
    scopes,
    exemptions,
    sources: fragments.map((f) => f.file),
  };
  return deepFreeze(policy);
}

/** The secure defaults alone, as if no policy file existed: block findings hold, warn findings warn. */
export function builtInPolicy(): Policy {
  return buildPolicy([]);
}
