/**
 * Judges one statement: describe it, run the rules on it change by change, look inside what it
 * runs (DO, calls, EXECUTE of a prepared statement), then evolve the catalog, the session and the
 * migration memory. Hidden statements go through the same function with their own frame.
 */
import { applyChange } from '../catalog/evolve.js';
import { existence, resolveRelation, type Existence } from '../catalog/names.js';
import type { QName } from '../catalog/types.js';
import type { Change } from '../model/changes.js';
import { describe } from '../model/describe.js';
import type { Description } from '../model/describer.js';
import type { AnyNode } from '../model/nodes.js';
import { RULES_BY_OP, STATEMENT_RULES } from '../rules/registry.js';
import type { Report, RuleContext } from '../rules/types.js';
import type { DroppedColumn, DroppedTable } from '../state.js';
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

/** The context rules see. A class, so the proxy's per-statement path allocates one small object. */
class Context implements RuleContext {
  /** The rule that is running, so report() knows whose finding it is. */
  rule = '';

  constructor(
    private readonly env: Env,
    private readonly frame: Frame,
    readonly statement: Description,
    readonly inTransaction: boolean,
  ) {}

  get catalog() {
    return this.env.session.draft.catalog;
  }

  get lockTimeoutSet() {
    return this.env.session.lockTimeoutSet;
  }

  get migration() {
    return this.env.session.memory;
  }

  get call() {
    return this.env.session.call;
  }

  isNew(q: QName, column?: string): boolean {
    return this.env.session.isNew(q, column);
  }

  exists(q: QName): Existence {
    const catalog = this.env.session.draft.catalog;
    return existence(catalog, resolveRelation(catalog, [], q.schema, q.name).found !== null);
  }

  once(key: string): boolean {
    const reported = this.env.session.memory.reported;
    if (reported.includes(key)) return false;
    reported.push(key);
    return true;
  }

  claimColumn(d: DroppedColumn): void {
    const m = this.env.session.memory;
    m.droppedColumns = m.droppedColumns.filter((x) => x !== d);
  }

  claimTable(d: DroppedTable): void {
    const m = this.env.session.memory;
    m.droppedTables = m.droppedTables.filter((x) => x !== d);
  }

  report(r: Report): void {
    this.env.out.add(this.rule, this.frame, r);
  }
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
  const ctx = new Context(env, frame, desc, inTransaction);
  for (const rule of STATEMENT_RULES) {
    ctx.rule = rule.id;
    rule.checkStatement!(ctx);
  }
  for (const change of desc.changes) {
    for (const rule of RULES_BY_OP.get(change.op) ?? []) {
      ctx.rule = rule.id;
      rule.checkChange!(change, ctx);
    }
    if (HIDDEN_OPS.has(change.op)) env.hidden(env, frame, change);
    applyChange(s.draft, change);
    applyMemory(s, change, frame.statement);
    if (!env.scratch) applySessionChange(env, change);
  }
  return desc;
}
