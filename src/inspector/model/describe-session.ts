/**
 * Statements about the session and maintenance: SET, transaction control, PREPARE/EXECUTE,
 * DO, CALL, VACUUM, CLUSTER, LOCK, REINDEX, REFRESH MATERIALIZED VIEW.
 */
import type { RangeVar } from 'libpg-query';
import { resolveIn } from '../catalog/names.js';
import type { Change } from './changes.js';
import type { Describer } from './describer.js';
import { lockFromNumber } from './locks.js';
import { as, constOf, defElem, strings, type AnyNode } from './nodes.js';

function settingValue(arg: unknown): string {
  const c = as<AnyNode>(arg, 'A_Const');
  if (c) {
    const v = constOf(c);
    return v.kind === 'string' ? v.value : v.kind === 'number' ? v.text : v.kind === 'bool' ? String(v.value) : '';
  }
  return '';
}

export function describeSet(d: Describer, n: AnyNode): void {
  const kind = String(n.kind ?? '');
  d.kind = kind === 'VAR_RESET' || kind === 'VAR_RESET_ALL' ? 'RESET' : 'SET';
  const name = kind === 'VAR_RESET_ALL' ? 'all' : String(n.name ?? '').toLowerCase();
  const values = kind === 'VAR_SET_VALUE' ? ((n.args as unknown[]) ?? []).map(settingValue) : null;
  d.change({ op: 'set', name, values, local: n.is_local === true });
}

const TRANSACTION_KINDS: Readonly<Record<string, [Extract<Change, { op: 'transaction' }>['kind'], string]>> = {
  TRANS_STMT_BEGIN: ['begin', 'BEGIN'],
  TRANS_STMT_START: ['begin', 'START TRANSACTION'],
  TRANS_STMT_COMMIT: ['commit', 'COMMIT'],
  TRANS_STMT_ROLLBACK: ['rollback', 'ROLLBACK'],
  TRANS_STMT_SAVEPOINT: ['savepoint', 'SAVEPOINT'],
  TRANS_STMT_RELEASE: ['release', 'RELEASE'],
  TRANS_STMT_ROLLBACK_TO: ['rollback-to', 'ROLLBACK TO SAVEPOINT'],
  TRANS_STMT_PREPARE: ['prepare', 'PREPARE TRANSACTION'],
};

export function describeTransaction(d: Describer, n: AnyNode): void {
  const entry = TRANSACTION_KINDS[String(n.kind ?? '')];
  if (!entry) {
    d.kind = String(n.kind ?? 'TRANSACTION').replace('TRANS_STMT_', '').replace('_', ' ');
    d.transactional = false;
    return;
  }
  d.kind = entry[1];
  const name = n.savepoint_name as string | undefined;
  d.change({ op: 'transaction', kind: entry[0], ...(name ? { name } : {}) });
}

export function describePrepared(d: Describer, type: string, n: AnyNode): void {
  if (type === 'PrepareStmt') {
    d.kind = 'PREPARE';
    d.change({ op: 'prepare', name: String(n.name ?? ''), query: (n.query as AnyNode) ?? {} });
  } else if (type === 'ExecuteStmt') {
    d.kind = 'EXECUTE';
    d.change({ op: 'execute-prepared', name: String(n.name ?? '') });
  } else {
    d.kind = 'DEALLOCATE';
    d.change({ op: 'deallocate', name: n.isall ? null : String(n.name ?? '') });
  }
}

export function describeDo(d: Describer, n: AnyNode): void {
  d.kind = 'DO';
  const args = (n.args as unknown[]) ?? [];
  const language = as<{ sval?: string }>(defElem(args, 'language'), 'String')?.sval ?? 'plpgsql';
  let body = '';
  let location = 0;
  for (const a of args) {
    const de = as<{ defname?: string; arg?: unknown; location?: number }>(a, 'DefElem');
    if (de?.defname === 'as') {
      body = as<{ sval?: string }>(de.arg, 'String')?.sval ?? '';
      location = de.location ?? 0;
    }
  }
  d.change({ op: 'run-do', body, language: language.toLowerCase(), location });
}

export function describeCall(d: Describer, n: AnyNode): void {
  d.kind = 'CALL';
  const fc = (n.funccall as AnyNode) ?? {};
  const names = strings(fc.funcname as unknown[]);
  const name = names[names.length - 1] ?? '';
  const r = resolveIn(d.catalog, d.searchPath, 'routines', names.length > 1 ? names[names.length - 2] : undefined, name);
  if (r.found) d.change({ op: 'call', routine: r.q, args: (fc.args as AnyNode[]) ?? [], location: Number(fc.location ?? 0) });
}

function hasOption(options: unknown, name: string): boolean {
  return defElem(options as unknown[], name) !== undefined;
}

export function describeMaintenance(d: Describer, type: string, n: AnyNode): void {
  if (type === 'VacuumStmt') {
    const isVacuum = n.is_vacuumcmd === true;
    const full = isVacuum && hasOption(n.options, 'full');
    d.kind = isVacuum ? (full ? 'VACUUM FULL' : 'VACUUM') : 'ANALYZE';
    const tables = ((n.rels as unknown[]) ?? []).map((r) => d.target(as<{ relation?: RangeVar }>(r, 'VacuumRelation')?.relation));
    if (isVacuum) d.transactional = false;
    for (const t of tables) {
      d.lock(t.q, full ? 'ACCESS EXCLUSIVE' : 'SHARE UPDATE EXCLUSIVE');
      if (full) d.rewrite(t.q);
    }
    if (full) d.change({ op: 'vacuum-full', tables });
  } else if (type === 'ClusterStmt') {
    d.kind = 'CLUSTER';
    const t = n.relation ? d.target(n.relation as RangeVar) : null;
    if (t) {
      d.lock(t.q, 'ACCESS EXCLUSIVE');
      d.rewrite(t.q);
    } else {
      d.transactional = false;
    }
    d.change({ op: 'cluster', table: t });
  } else if (type === 'LockStmt') {
    d.kind = 'LOCK TABLE';
    for (const r of (n.relations as unknown[]) ?? []) d.lock(d.target(as<RangeVar>(r, 'RangeVar')).q, lockFromNumber(Number(n.mode ?? 8)));
  } else if (type === 'ReindexStmt') {
    d.kind = 'REINDEX';
    const concurrent = hasOption(n.params, 'concurrently');
    const kind = String(n.kind ?? '');
    if (concurrent || kind === 'REINDEX_OBJECT_SCHEMA' || kind === 'REINDEX_OBJECT_DATABASE' || kind === 'REINDEX_OBJECT_SYSTEM') d.transactional = false;
    if (n.relation) d.lock(d.target(n.relation as RangeVar).q, concurrent ? 'SHARE UPDATE EXCLUSIVE' : kind === 'REINDEX_OBJECT_INDEX' ? 'ACCESS EXCLUSIVE' : 'SHARE');
  } else if (type === 'RefreshMatViewStmt') {
    d.kind = 'REFRESH MATERIALIZED VIEW';
    d.lock(d.target(n.relation as RangeVar).q, n.concurrent ? 'EXCLUSIVE' : 'ACCESS EXCLUSIVE');
  }
}
