/**
 * The catalog queries tripwire runs on its own connection. Fixed text: nothing from a client
 * ever reaches these (anything variable is a bind parameter).
 */

const USER_SCHEMAS = `n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%' AND n.nspname NOT LIKE 'pg_temp%'`;

export const SCHEMAS_SQL = `SELECT n.nspname AS schema FROM pg_namespace n WHERE ${USER_SCHEMAS} ORDER BY 1`;

/** Element type and modifiers of every column, so TypeRefs match what the parser produces. */
export const COLUMNS_SQL = `
SELECT n.nspname AS schema, c.relname AS table, c.relkind::text AS kind, c.relpersistence::text AS persistence,
       c.reltuples::float8 AS reltuples, a.attname AS column, a.attnum AS num, a.attnotnull AS not_null,
       a.atthasdef AS has_default, a.attidentity <> '' AS identity, a.attgenerated <> '' AS generated,
       a.atttypmod AS typmod, a.attndims AS ndims,
       CASE WHEN t.typcategory = 'A' THEN et.typname ELSE t.typname END AS type_name,
       CASE WHEN t.typcategory = 'A' THEN etn.nspname ELSE tn.nspname END AS type_schema,
       t.typcategory = 'A' AS is_array
FROM pg_class c
JOIN pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
LEFT JOIN pg_type t ON t.oid = a.atttypid
LEFT JOIN pg_namespace tn ON tn.oid = t.typnamespace
LEFT JOIN pg_type et ON et.oid = t.typelem AND t.typcategory = 'A'
LEFT JOIN pg_namespace etn ON etn.oid = et.typnamespace
WHERE c.relkind IN ('r', 'p') AND ${USER_SCHEMAS}
ORDER BY n.nspname, c.relname, a.attnum`;

export const CONSTRAINTS_SQL = `
SELECT n.nspname AS schema, c.relname AS table, co.conname AS name, co.contype::text AS kind, co.convalidated AS validated,
       ARRAY(SELECT a.attname FROM unnest(co.conkey) WITH ORDINALITY k(num, ord)
             JOIN pg_attribute a ON a.attrelid = co.conrelid AND a.attnum = k.num ORDER BY k.ord)::text[] AS columns,
       fn.nspname AS ref_schema, fc.relname AS ref_table,
       ARRAY(SELECT a.attname FROM unnest(co.confkey) WITH ORDINALITY k(num, ord)
             JOIN pg_attribute a ON a.attrelid = co.confrelid AND a.attnum = k.num ORDER BY k.ord)::text[] AS ref_columns
FROM pg_constraint co
JOIN pg_class c ON c.oid = co.conrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_class fc ON fc.oid = co.confrelid
LEFT JOIN pg_namespace fn ON fn.oid = fc.relnamespace
WHERE co.contype IN ('p', 'u', 'f', 'c', 'x') AND ${USER_SCHEMAS}
ORDER BY 1, 2, 3`;

export const INDEXES_SQL = `
SELECT n.nspname AS schema, ic.relname AS name, tc.relname AS table, i.indisunique AS unique,
       ARRAY(SELECT a.attname FROM unnest(i.indkey) WITH ORDINALITY k(num, ord)
             JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.num ORDER BY k.ord)::text[] AS columns
FROM pg_index i
JOIN pg_class ic ON ic.oid = i.indexrelid
JOIN pg_class tc ON tc.oid = i.indrelid
JOIN pg_namespace n ON n.oid = ic.relnamespace
WHERE ${USER_SCHEMAS}
ORDER BY 1, 2`;

/** Views and the relations their rules read. */
export const VIEWS_SQL = `
SELECT n.nspname AS schema, v.relname AS name, v.relkind = 'm' AS materialized,
       COALESCE(array_agg(DISTINCT dn.nspname || '.' || d.relname) FILTER (WHERE d.oid IS NOT NULL), '{}')::text[] AS depends_on
FROM pg_class v
JOIN pg_namespace n ON n.oid = v.relnamespace
LEFT JOIN pg_rewrite r ON r.ev_class = v.oid
LEFT JOIN pg_depend dep ON dep.objid = r.oid AND dep.classid = 'pg_rewrite'::regclass
     AND dep.refclassid = 'pg_class'::regclass AND dep.refobjid <> v.oid
LEFT JOIN pg_class d ON d.oid = dep.refobjid
LEFT JOIN pg_namespace dn ON dn.oid = d.relnamespace
WHERE v.relkind IN ('v', 'm') AND ${USER_SCHEMAS}
GROUP BY 1, 2, 3
ORDER BY 1, 2`;

export const SEQUENCES_SQL = `
SELECT n.nspname AS schema, s.relname AS name, tn.nspname AS owner_schema, t.relname AS owner_table, a.attname AS owner_column
FROM pg_class s
JOIN pg_namespace n ON n.oid = s.relnamespace
LEFT JOIN pg_depend d ON d.objid = s.oid AND d.classid = 'pg_class'::regclass AND d.refclassid = 'pg_class'::regclass AND d.deptype IN ('a', 'i')
LEFT JOIN pg_class t ON t.oid = d.refobjid
LEFT JOIN pg_namespace tn ON tn.oid = t.relnamespace
LEFT JOIN pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid
WHERE s.relkind = 'S' AND ${USER_SCHEMAS}
ORDER BY 1, 2`;

export const TYPES_SQL = `
SELECT n.nspname AS schema, t.typname AS name, t.typtype::text AS typtype,
       ARRAY(SELECT e.enumlabel FROM pg_enum e WHERE e.enumtypid = t.oid ORDER BY e.enumsortorder)::text[] AS labels,
       bt.typname AS base_name, btn.nspname AS base_schema, t.typtypmod AS base_typmod
FROM pg_type t
JOIN pg_namespace n ON n.oid = t.typnamespace
LEFT JOIN pg_type bt ON bt.oid = t.typbasetype AND t.typtype = 'd'
LEFT JOIN pg_namespace btn ON btn.oid = bt.typnamespace
LEFT JOIN pg_class rc ON rc.oid = t.typrelid
WHERE t.typtype IN ('e', 'd', 'r', 'c') AND (t.typtype <> 'c' OR rc.relkind = 'c') AND ${USER_SCHEMAS}
ORDER BY 1, 2`;

export const ROUTINES_SQL = `
SELECT n.nspname AS schema, p.proname AS name, p.prokind::text AS kind, l.lanname AS language,
       NULLIF(p.prosrc, '') AS body, COALESCE(p.proargnames, '{}')::text[] AS params,
       p.pronargs AS nargs, p.provolatile::text AS volatility, p.proretset AS returns_set, rt.typname AS returns
FROM pg_proc p
JOIN pg_namespace n ON n.oid = p.pronamespace
JOIN pg_language l ON l.oid = p.prolang
JOIN pg_type rt ON rt.oid = p.prorettype
WHERE p.prokind IN ('f', 'p') AND l.lanname IN ('sql', 'plpgsql') AND ${USER_SCHEMAS}
ORDER BY 1, 2`;
