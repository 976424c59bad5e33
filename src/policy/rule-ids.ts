/**
 * The rule ids a policy may name: the inspector's registry is the source of truth. This is the one
 * place the policy layer reads it, so a change to the registry's exports is fixed here.
 */
import { RULES } from '../inspector/rules/registry.js';
import type { Severity } from './types.js';

let ids: ReadonlyMap<string, Severity> | undefined;

/** Every known rule id, with its severity, in registry order. */
export function knownRules(): ReadonlyMap<string, Severity> {
  ids ??= new Map(RULES.map((r) => [r.id, r.severity]));
  return ids;
}

/** SQL tripwire cannot see. Its action comes from `unresolvedDynamicSql`, which is hold or warn, never allow. */
export const DYNAMIC_SQL_RULE = 'dynamic-sql';
