/**
 * Drift between production and staging: the schema fingerprints decide, and the differences are
 * named table by table and column by column, so whoever fixes staging knows what to fix. Pure.
 */
import { displayName, type Catalog, type ColumnEntry, type ConstraintEntry, type TableEntry, type TypeRef } from '../inspector/index.js';
import { schemaFingerprint } from '../policy/tokens/fingerprint.js';
import type { DriftReport } from './types.js';

const OTHER_KINDS = ['views', 'sequences', 'indexes', 'types', 'routines'] as const;
const SINGULAR: Record<(typeof OTHER_KINDS)[number], string> = { views: 'view', sequences: 'sequence', indexes: 'index', types: 'type', routines: 'routine' };

function typeName(t: TypeRef): string {
  const base = t.schema === 'pg_catalog' ? t.name : `${t.schema}.${t.name}`;
  return `${base}${t.mods.length ? `(${t.mods.join(',')})` : ''}${'[]'.repeat(t.arrayDims)}`;
}

function describeColumn(c: ColumnEntry): string {
  return `${typeName(c.type)}${c.notNull ? ' NOT NULL' : ''}${c.hasDefault ? ' DEFAULT …' : ''}${c.identity ? ' IDENTITY' : ''}${c.generated ? ' GENERATED' : ''}`;
}

function describeConstraint(c: ConstraintEntry): string {
  const kind = { p: 'PRIMARY KEY', u: 'UNIQUE', f: 'FOREIGN KEY', c: 'CHECK', x: 'EXCLUDE', n: 'NOT NULL' }[c.kind];
  const refs = c.references ? ` REFERENCES ${displayName(c.references.table)} (${c.references.columns.join(', ')})` : '';
  return `${kind} (${c.columns.join(', ')})${refs}${c.validated ? '' : ' NOT VALID'}`;
}

const own = <T>(rec: Readonly<Record<string, T>>, key: string): T | undefined => (Object.hasOwn(rec, key) ? rec[key] : undefined);
const union = (a: object, b: object) => [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();

function tableDifferences(name: string, prod: TableEntry, staging: TableEntry): string[] {
  const out: string[] = [];
  for (const col of union(prod.columns, staging.columns)) {
    const p = own(prod.columns, col);
    const s = own(staging.columns, col);
    const where = `${name}.${col}`;
    if (!s) out.push(`column ${where}: only in production (${describeColumn(p!)})`);
    else if (!p) out.push(`column ${where}: only on staging (${describeColumn(s)})`);
    else if (describeColumn(p) !== describeColumn(s)) out.push(`column ${where}: ${describeColumn(p)} in production, ${describeColumn(s)} on staging`);
  }
  const common = Object.keys(prod.columns).filter((c) => Object.hasOwn(staging.columns, c));
  const stagingOrder = Object.keys(staging.columns).filter((c) => Object.hasOwn(prod.columns, c));
  if (common.join('\0') !== stagingOrder.join('\0')) out.push(`table ${name}: columns in another order (production: ${common.join(', ')}; staging: ${stagingOrder.join(', ')})`);
  for (const con of union(prod.constraints, staging.constraints)) {
    const p = own(prod.constraints, con);
    const s = own(staging.constraints, con);
    if (!s) out.push(`constraint ${con} on ${name}: only in production (${describeConstraint(p!)})`);
    else if (!p) out.push(`constraint ${con} on ${name}: only on staging (${describeConstraint(s)})`);
    else if (describeConstraint(p) !== describeConstraint(s)) out.push(`constraint ${con} on ${name}: ${describeConstraint(p)} in production, ${describeConstraint(s)} on staging`);
  }
  if (Boolean(prod.partitioned) !== Boolean(staging.partitioned) || prod.persistence !== staging.persistence) out.push(`table ${name}: ${prod.persistence}${prod.partitioned ? ' partitioned' : ''} in production, ${staging.persistence}${staging.partitioned ? ' partitioned' : ''} on staging`);
  return out;
}

function hasTable(c: Catalog, q: { schema: string; name: string }): boolean {
  return Object.hasOwn(c.schemas, q.schema) && Object.hasOwn(c.schemas[q.schema]!.tables, q.name);
}

/** Every difference between the two schemas, one line each, in a stable order. */
export function schemaDifferences(production: Catalog, staging: Catalog): string[] {
  const out: string[] = [];
  for (const schema of union(production.schemas, staging.schemas)) {
    const p = own(production.schemas, schema);
    const s = own(staging.schemas, schema);
    if (!p || !s) {
      out.push(`schema ${schema}: only ${p ? 'in production' : 'on staging'}`);
      continue;
    }
    for (const table of union(p.tables, s.tables)) {
      const name = displayName({ schema, name: table });
      const pt = own(p.tables, table);
      const st = own(s.tables, table);
      if (!st) out.push(`table ${name}: only in production (${Object.keys(pt!.columns).join(', ')})`);
      else if (!pt) out.push(`table ${name}: only on staging (${Object.keys(st.columns).join(', ')})`);
      else out.push(...tableDifferences(name, pt, st));
    }
    for (const kind of OTHER_KINDS) {
      for (const key of union(p[kind], s[kind])) {
        const a = own(p[kind] as Record<string, unknown>, key);
        const b = own(s[kind] as Record<string, unknown>, key);
        const name = `${SINGULAR[kind]} ${displayName({ schema, name: key })}`;
        // An index of a table present on one side only is said with the table.
        const on = (a ?? b) as { table?: { schema: string; name: string } };
        if (kind === 'indexes' && on.table && !(hasTable(production, on.table) && hasTable(staging, on.table))) continue;
        if (b === undefined) out.push(`${name}: only in production`);
        else if (a === undefined) out.push(`${name}: only on staging`);
        else if (JSON.stringify(a) !== JSON.stringify(b)) out.push(`${name}: defined differently`);
      }
    }
  }
  return out;
}

/** Null when staging's schema is production's; otherwise the fingerprints and the differences. */
export function drift(production: Catalog, staging: Catalog): DriftReport | null {
  const productionFingerprint = schemaFingerprint(production);
  const stagingFingerprint = schemaFingerprint(staging);
  if (productionFingerprint === stagingFingerprint) return null;
  const differences = schemaDifferences(production, staging);
  // The fingerprint also covers details no line above names (an index's predicate, a routine's body, …).
  if (differences.length === 0) differences.push('the schemas differ in a detail not listed here: compare `pg_dump --schema-only` of both');
  return { productionFingerprint, stagingFingerprint, differences };
}
