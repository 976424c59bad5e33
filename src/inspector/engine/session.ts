/**
 * The working copy of the inspector state during one call. It evolves statement by statement
 * and becomes the next InspectorState at the end; the state it started from is never modified.
 */
import { CatalogDraft } from '../catalog/draft.js';
import { DEFAULT_SEARCH_PATH, displayName } from '../catalog/names.js';
import type { QName } from '../catalog/types.js';
import type { ChangeOf } from '../model/changes.js';
import {
  EMPTY_MIGRATION,
  type DroppedColumn,
  type DroppedTable,
  type InspectorState,
  type MigrationMemory,
  type PreparedStatement,
  type Snapshot,
  type TransactionState,
} from '../state.js';

interface Memory {
  created: string[];
  droppedColumns: DroppedColumn[];
  droppedTables: DroppedTable[];
  reported: string[];
}

function copyMemory(m: MigrationMemory): Memory {
  return { created: [...m.created], droppedColumns: [...m.droppedColumns], droppedTables: [...m.droppedTables], reported: [...m.reported] };
}

export class Session {
  readonly draft: CatalogDraft;
  searchPath: readonly string[];
  lockTimeout: boolean;
  transaction: { begin: Snapshot; savepoints: { name: string; snapshot: Snapshot }[]; localLockTimeout: boolean } | null;
  prepared: Record<string, PreparedStatement>;
  memory: Memory;
  readonly call: number;

  constructor(
    state: InspectorState,
    readonly mode: 'query' | 'file',
  ) {
    this.draft = new CatalogDraft(state.catalog);
    this.searchPath = state.searchPath;
    this.lockTimeout = state.lockTimeout;
    this.transaction = state.transaction ? { ...state.transaction, savepoints: [...state.transaction.savepoints] } : null;
    this.prepared = { ...state.prepared };
    this.memory = copyMemory(state.migration);
    this.call = state.calls + 1;
  }

  /** Looked up per statement, so kept as a set beside the memory's array (which stays the serialisable form). */
  private createdSet: Set<string> | null = null;

  isNew(q: QName, column?: string): boolean {
    if (this.memory.created.length === 0) return false;
    this.createdSet ??= new Set(this.memory.created);
    return this.createdSet.has(displayName(q)) || (column !== undefined && this.createdSet.has(displayName(q, column)));
  }

  /** Replaces the list of created objects (keeps the lookup set in step). */
  setCreated(created: string[]): void {
    this.memory.created = created;
    this.createdSet = null;
  }

  addCreated(key: string): void {
    this.memory.created.push(key);
    this.createdSet?.add(key);
  }

  get lockTimeoutSet(): boolean {
    return this.lockTimeout || (this.transaction?.localLockTimeout ?? false);
  }

  private snapshot(): Snapshot {
    return { catalog: this.draft.snapshot(), searchPath: this.searchPath, migration: copyMemory(this.memory) };
  }

  private restore(s: Snapshot): void {
    this.draft.restore(s.catalog);
    this.searchPath = s.searchPath;
    this.memory = copyMemory(s.migration);
    this.createdSet = null;
  }

  /** A migration ends with its transaction when statements arrive as queries (the proxy). */
  private endMigration(): void {
    if (this.mode !== 'query') return;
    this.memory = copyMemory(EMPTY_MIGRATION);
    this.createdSet = null;
  }

  applyTransaction(c: ChangeOf<'transaction'>): void {
    const tx = this.transaction;
    switch (c.kind) {
      case 'begin':
        if (!tx) this.transaction = { begin: this.snapshot(), savepoints: [], localLockTimeout: false };
        break;
      case 'commit':
      case 'prepare':
        this.transaction = null;
        this.endMigration();
        break;
      case 'rollback':
        if (tx) this.restore(tx.begin);
        this.transaction = null;
        this.endMigration();
        break;
      case 'savepoint':
        tx?.savepoints.push({ name: c.name ?? '', snapshot: this.snapshot() });
        break;
      case 'release':
      case 'rollback-to': {
        const i = tx ? tx.savepoints.map((s) => s.name).lastIndexOf(c.name ?? '') : -1;
        if (!tx || i === -1) break;
        if (c.kind === 'rollback-to') this.restore(tx.savepoints[i]!.snapshot);
        tx.savepoints.length = c.kind === 'rollback-to' ? i + 1 : i;
        break;
      }
    }
  }

  applySet(c: ChangeOf<'set'>): void {
    if (c.name === 'all') {
      this.searchPath = DEFAULT_SEARCH_PATH;
      this.lockTimeout = false;
    } else if (c.name === 'search_path') {
      this.searchPath = c.values === null ? DEFAULT_SEARCH_PATH : c.values;
    } else if (c.name === 'lock_timeout') {
      const on = c.values !== null && c.values.length > 0 && !['0', '', '0ms', '0s'].includes(c.values[0]!.trim());
      if (c.local) {
        if (this.transaction) this.transaction.localLockTimeout = on;
      } else {
        this.lockTimeout = on;
      }
    }
  }

  /** This session as a state for a scratch copy (a function body judged at CREATE time): same call, same memory. */
  forkState(): InspectorState {
    return {
      version: 1,
      catalog: this.draft.snapshot(),
      searchPath: this.searchPath,
      lockTimeout: this.lockTimeoutSet,
      transaction: null,
      prepared: this.prepared,
      migration: copyMemory(this.memory),
      calls: this.call - 1,
    };
  }

  /** The state to hand to the next call. */
  finish(): InspectorState {
    if (!this.transaction && this.mode === 'query') this.endMigration();
    const transaction: TransactionState | null = this.transaction
      ? { begin: this.transaction.begin, savepoints: [...this.transaction.savepoints], localLockTimeout: this.transaction.localLockTimeout }
      : null;
    return {
      version: 1,
      catalog: this.draft.snapshot(),
      searchPath: this.searchPath,
      lockTimeout: this.lockTimeout,
      transaction,
      prepared: this.prepared,
      migration: copyMemory(this.memory),
      calls: this.call,
    };
  }
}
