/** The statement model's entry point: one parsed statement in, its Description out. */
import type { AlterTableStmt, CreateStmt, IndexStmt } from 'libpg-query';
import type { Catalog } from '../catalog/types.js';
import { describeAlterTable, describeRename, describeSetSchema } from './describe-alter.js';
import {
  describeCreateFunction,
  describeCreateIndex,
  describeCreateSchema,
  describeCreateTable,
  describeCreateTableAs,
  describeCreateType,
  describeCreateView,
  describeSequence,
} from './describe-create.js';
import { describeCopy, describeExplain, describeQuery } from './describe-dml.js';
import { describeDrop, describeDropDatabase, describeDropOwned, describeTruncate } from './describe-drop.js';
import { describeCall, describeDo, describeMaintenance, describePrepared, describeSet, describeTransaction } from './describe-session.js';
import { Describer, type Description } from './describer.js';
import { nodeType, type AnyNode } from './nodes.js';

/** Statements PostgreSQL refuses inside a transaction block, whatever their options. */
const NEVER_IN_TRANSACTION = new Set(['CreatedbStmt', 'DropdbStmt', 'CreateTableSpaceStmt', 'DropTableSpaceStmt', 'AlterSystemStmt']);

type Handler = (d: Describer, n: AnyNode, type: string) => void;

const HANDLERS: Readonly<Record<string, Handler>> = {
  SelectStmt: (d, n, t) => describeQuery(d, t, n),
  InsertStmt: (d, n, t) => describeQuery(d, t, n),
  UpdateStmt: (d, n, t) => describeQuery(d, t, n),
  DeleteStmt: (d, n, t) => describeQuery(d, t, n),
  MergeStmt: (d, n, t) => describeQuery(d, t, n),
  CopyStmt: (d, n) => describeCopy(d, n),
  ExplainStmt: (d, n) => describeExplain(d, n),
  CreateStmt: (d, n) => describeCreateTable(d, n as CreateStmt),
  CreateTableAsStmt: (d, n) => describeCreateTableAs(d, n),
  ViewStmt: (d, n) => describeCreateView(d, n),
  IndexStmt: (d, n) => describeCreateIndex(d, n as IndexStmt),
  CreateSeqStmt: (d, n) => describeSequence(d, n, false),
  AlterSeqStmt: (d, n) => describeSequence(d, n, true),
  CreateEnumStmt: (d, n, t) => describeCreateType(d, t, n),
  CompositeTypeStmt: (d, n, t) => describeCreateType(d, t, n),
  CreateDomainStmt: (d, n, t) => describeCreateType(d, t, n),
  CreateRangeStmt: (d, n, t) => describeCreateType(d, t, n),
  AlterEnumStmt: (d, n, t) => describeCreateType(d, t, n),
  CreateFunctionStmt: (d, n) => describeCreateFunction(d, n),
  CreateSchemaStmt: (d, n) => describeSchema(d, n),
  AlterTableStmt: (d, n) => describeAlterTable(d, n as AlterTableStmt),
  RenameStmt: (d, n) => describeRename(d, n),
  AlterObjectSchemaStmt: (d, n) => describeSetSchema(d, n),
  DropStmt: (d, n) => describeDrop(d, n),
  DropdbStmt: (d, n) => describeDropDatabase(d, n),
  DropOwnedStmt: (d, n) => describeDropOwned(d, n),
  TruncateStmt: (d, n) => describeTruncate(d, n),
  VariableSetStmt: (d, n) => describeSet(d, n),
  TransactionStmt: (d, n) => describeTransaction(d, n),
  PrepareStmt: (d, n, t) => describePrepared(d, t, n),
  ExecuteStmt: (d, n, t) => describePrepared(d, t, n),
  DeallocateStmt: (d, n, t) => describePrepared(d, t, n),
  DoStmt: (d, n) => describeDo(d, n),
  CallStmt: (d, n) => describeCall(d, n),
  VacuumStmt: (d, n, t) => describeMaintenance(d, t, n),
  ClusterStmt: (d, n, t) => describeMaintenance(d, t, n),
  LockStmt: (d, n, t) => describeMaintenance(d, t, n),
  ReindexStmt: (d, n, t) => describeMaintenance(d, t, n),
  RefreshMatViewStmt: (d, n, t) => describeMaintenance(d, t, n),
};

/** CREATE SCHEMA … CREATE TABLE …: the elements are created inside the new schema. */
function describeSchema(d: Describer, n: AnyNode): void {
  describeCreateSchema(d, n);
  const schema = String(n.schemaname ?? '');
  for (const elt of (n.schemaElts as unknown[]) ?? []) {
    const [type, body] = nodeType(elt);
    const inner = describe(type, body, d.catalog, [schema]);
    d.changes.push(...inner.changes);
    for (const l of inner.locks) d.lock(l.q, l.mode);
  }
}

/** `CreateExtensionStmt` → `CREATE EXTENSION`: the command tag for statements without a handler. */
function kindFromType(type: string): string {
  return type
    .replace(/Stmt$/, '')
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .toUpperCase();
}

/** Describes one statement against the catalog as it stands before it. */
export function describe(type: string, node: AnyNode, catalog: Catalog, searchPath: readonly string[]): Description {
  const d = new Describer(catalog, searchPath);
  const handler = HANDLERS[type];
  if (handler) handler(d, node, type);
  if (!d.kind) d.kind = kindFromType(type);
  if (NEVER_IN_TRANSACTION.has(type)) d.transactional = false;
  return d.finish();
}
