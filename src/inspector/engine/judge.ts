/**
 * Judges one statement: describe it, run the rules on it change by change, look inside what it
 * runs (DO, calls, EXECUTE of a prepared statement), then evolve the catalog, the session and the
 * migration memory. Hidden statements go through the same function with their own frame.
 */
import { applyChange } from '../catalog/evolve.js';
import { existence, resolveRelation } from '../catalog/names.js';
import type { Change } from '../model/changes.js';
import { describe } from '../model/describe.js';
import type { Description } from '../model/describer.js';
import type { AnyNode } from '../model/nodes.js';
import { RULES_BY_OP, STATEMENT_RULES } from '../rules/registry.js';
import type { RuleContext } from '../rules/types.js';
import { applyMemory } from './memory.js';
import type { Frame, Output } from './output.js';
import type { Session } from './session.js';

export interface Env {
  readonly session: Session;
  readonly out: Output;
  /** How deep in hidden SQL (DO → EXECUTE → function …); bounded so a recursive function cannot hang. */
  readonly depth: number;
  /** The text is one multi-statement query: an implicit transaction. */
  readonly implicitTransaction: boolean;
  /** A function body judged at CREATE time: it does not run, so session changes are ignored. */
  readonly scratch: boolean;
  /** Looks inside statements that run other SQL; set by the hidden-SQL module. */
  readonly hidden: (env: Env, frame: Frame, change: Change) => void;
}

/** The context rules see; `active.rule` names the rule that is reporting. */
function context(env: Env, frame: Frame, statement: Description, inTransaction: boolean, active: { rule: string }): RuleContext {
  const s = env.session;
  return {
    get catalog() {
      return s.draft.catalog;
    },
    statement,
    inTransaction,
    get lockTimeoutSet() {
      return s.lockTimeoutSet;
    },
    get migration() {
      return s.memory;
    },
    call: s.call,
    isNew: (q, column) => s.isNew(q, column),
    exists: (q) => existence(s.draft.catalog, resolveRelation(s.draft.catalog, [], q.schema, q.name).found !== null),
    once: (key) => {
      if (s.memory.reported.includes(key)) return false;
      s.memory.reported.push(key);
      return true;
    },
    claimColumn: (d) => {
      s.memory.droppedColumns = s.memory.droppedColumns.filter((x) => x !== d);
    },
    claimTable: (d) => {
      s.memory.droppedTables = s.memory.droppedTables.filter((x) => x !== d);
    },
    report: (r) => env.out.add(active.rule, frame, r),
  };
}

function applySessionChange(env: Env, change: Change): void {
  const s = env.session;
  if (change.op === 'transaction') s.applyTransaction(change);
  else if (change.op === 'set') s.applySet(change);
  else if (change.op === 'prepare') s.prepared = { ...s.prepared, [change.name]: { query: change.query } };
  else if (change.op === 'deallocate') {
    if (change.name === null) s.prepared = {};
    else {
      const { [change.name]: _gone, ...rest } = s.prepared;
      s.prepared = rest;
    }
  }
}

const HIDDEN_OPS = new Set<Change['op']>(['run-do', 'call', 'execute-prepared', 'create-routine']);

/** Judges one statement and evolves the session. */
export function judge(env: Env, frame: Frame, type: string, node: AnyNode): Description {
  const s = env.session;
  const desc = describe(type, node, s.draft.catalog, s.searchPath);
  const inTransaction = s.transaction !== null || env.implicitTransaction;
  const active = { rule: '' };
  const ctx = context(env, frame, desc, inTransaction, active);
  for (const rule of STATEMENT_RULES) {
    active.rule = rule.id;
    rule.checkStatement!(ctx);
  }
  for (const change of desc.changes) {
    for (const rule of RULES_BY_OP.get(change.op) ?? []) {
      active.rule = rule.id;
      rule.checkChange!(change, ctx);
    }
    if (HIDDEN_OPS.has(change.op)) env.hidden(env, frame, change);
    applyChange(s.draft, change);
    applyMemory(s, change, frame.statement);
    if (!env.scratch) applySessionChange(env, change);
  }
  return desc;
}
