/**
 * Collects what one statement does while it is described: its changes, the locks it takes, the
 * relations it reads and the tables it rewrites. Name resolution happens here, once, against the
 * catalog as it stands before the statement.
 */
import type { RangeVar } from 'libpg-query';
import { displayName, existence, resolveRelation, writtenName } from '../catalog/names.js';
import { entry } from '../catalog/records.js';
import type { Catalog, QName, TableEntry } from '../catalog/types.js';
import type { Change, Target } from './changes.js';
import { type LockMode, strongest } from './locks.js';

export interface LockEntry {
  readonly q: QName;
  readonly mode: LockMode;
}

export interface Description {
  /** The command, as PostgreSQL would tag it: `ALTER TABLE`, `DROP INDEX`, `SELECT`. */
  readonly kind: string;
  readonly changes: readonly Change[];
  readonly locks: readonly LockEntry[];
  readonly reads: readonly QName[];
  readonly rewrites: readonly QName[];
  /** False for statements PostgreSQL refuses inside a transaction block. */
  readonly transactional: boolean;
}

export class Describer {
  kind = '';
  readonly changes: Change[] = [];
  readonly locks: LockEntry[] = [];
  readonly reads: QName[] = [];
  readonly rewrites: QName[] = [];
  transactional = true;

  constructor(
    readonly catalog: Catalog,
    readonly searchPath: readonly string[],
  ) {}

  /** Resolves a RangeVar to a target: the relation as written, where it lives, and whether it exists. */
  target(rv: RangeVar | undefined): Target {
    const name = rv?.relname ?? '';
    const r = resolveRelation(this.catalog, this.searchPath, rv?.schemaname, name, rv?.relpersistence === 't');
    return { q: r.q, written: writtenName(rv?.schemaname, name), exists: existence(this.catalog, r.found !== null) };
  }

  /** A target from a list of name parts (`['billing', 'invoices']`), as DROP gives them. */
  targetFromNames(names: readonly string[]): Target {
    const name = names[names.length - 1] ?? '';
    const schema = names.length >= 2 ? names[names.length - 2] : undefined;
    return this.target({ schemaname: schema, relname: name } as RangeVar);
  }

  table(q: QName): TableEntry | undefined {
    return entry(entry(this.catalog.schemas, q.schema)?.tables, q.name);
  }

  change(c: Change): void {
    this.changes.push(c);
  }

  lock(q: QName, mode: LockMode | null): void {
    if (mode === null) return;
    const key = displayName(q);
    const i = this.locks.findIndex((l) => displayName(l.q) === key);
    if (i === -1) this.locks.push({ q, mode });
    else this.locks[i] = { q, mode: strongest(this.locks[i]!.mode, mode)! };
  }

  read(q: QName): void {
    this.reads.push(q);
    this.lock(q, 'ACCESS SHARE');
  }

  rewrite(q: QName): void {
    if (!this.rewrites.some((r) => r.schema === q.schema && r.name === q.name)) this.rewrites.push(q);
  }

  finish(): Description {
    return { kind: this.kind, changes: this.changes, locks: this.locks, reads: this.reads, rewrites: this.rewrites, transactional: this.transactional };
  }
}
