/** The pure halves of a rehearsal: naming drift, and deciding whether values survived. */
import t from 'tap';
import { catalogFromSql, loadInspector } from '../../src/inspector/index.js';
import { drift } from '../../src/rehearsal/drift.js';
import { splitDisplayName } from '../../src/rehearsal/names.js';
import { verify } from '../../src/rehearsal/verify.js';
import type { TableSnapshot } from '../../src/rehearsal/types.js';

await loadInspector();
const schema = (sql: string) => catalogFromSql(sql).catalog;

t.test('drift names types, nullability, constraints and column order; none when equal', async (t) => {
  const prod = schema('CREATE TABLE a (id int PRIMARY KEY, b text NOT NULL, c int); CREATE TABLE p (id int PRIMARY KEY);');
  t.equal(drift(prod, schema('CREATE TABLE a (id int PRIMARY KEY, b text NOT NULL, c int); CREATE TABLE p (id int PRIMARY KEY);')), null);
  const staging = schema('CREATE TABLE a (id int PRIMARY KEY, c bigint, b text, CONSTRAINT a_c_fk FOREIGN KEY (c) REFERENCES p (id)); CREATE TABLE p (id int PRIMARY KEY);');
  t.same(drift(prod, staging)?.differences, [
    'column public.a.b: text NOT NULL in production, text on staging',
    'column public.a.c: int4 in production, int8 on staging',
    'table public.a: columns in another order (production: id, b, c; staging: id, c, b)',
    'constraint a_c_fk on public.a: only on staging (FOREIGN KEY (c) REFERENCES public.p (id))',
  ]);
});

t.test('display names split with quotes honoured', async (t) => {
  t.same(splitDisplayName('public."Odd.Name"."x""y"'), ['public', 'Odd.Name', 'x"y']);
});

const snap = (table: string, rows: number, cols: Array<[string, number, string]>): TableSnapshot => ({ table, rows, columns: cols.map(([column, nonNull, hash]) => ({ column, nonNull, distinct: nonNull, hash })) });

t.test('verify: moves by count and hash, partial copies are losses, empty columns are never losses', async (t) => {
  const before = [snap('public.c', 10, [['id', 10, 'h-id'], ['phone', 10, 'h-phone'], ['fax', 0, '0']])];
  const moved = verify(before, [snap('public.c', 10, [['id', 10, 'h-id']]), snap('public.p', 10, [['phone', 10, 'h-phone']])], []);
  t.same(moved, { rowLosses: [], losses: [], moves: [{ from: 'public.c.phone', to: 'public.p.phone', values: 10 }], discarded: [] });
  const partial = verify(before, [snap('public.c', 10, [['id', 10, 'h-id']]), snap('public.p', 9, [['phone', 9, 'h-other']])], []);
  t.same(partial.losses, [{ column: 'public.c.phone', before: 10, after: 0 }], 'nine of ten copied is a loss');
  // A column that already held the same values before is no new home.
  const twin = [snap('public.c', 10, [['phone', 10, 'h'], ['backup', 10, 'h']])];
  t.same(verify(twin, [snap('public.c', 10, [['backup', 10, 'h']])], []).losses, [{ column: 'public.c.phone', before: 10, after: 0 }]);
  t.same(verify(before, [snap('public.c', 8, [['id', 8, 'h-id2'], ['phone', 10, 'h-phone']])], []).rowLosses, [{ table: 'public.c', before: 10, after: 8 }]);
});
