import t from 'tap';
import { readFileSync } from 'node:fs';
import { ERROR_CATALOGUE, TripwireError } from '../src/errors.js';

t.test('docs/errors.md lists every code in the catalogue, with its SQLSTATE, and nothing else', async (t) => {
  const doc = readFileSync(new URL('../docs/errors.md', import.meta.url), 'utf8');
  const rows = [...doc.matchAll(/^\| `(TW_[A-Z_]+)` \| ([0-9A-Z]{5})? ?\|/gm)].map((m) => [m[1], m[2]]);
  const documented = new Map(rows.map(([code, state]) => [code, state]));
  for (const [code, entry] of Object.entries(ERROR_CATALOGUE)) {
    t.ok(documented.has(code), `${code} is documented`);
    t.equal(documented.get(code), entry.sqlstate, `${code} documents SQLSTATE ${entry.sqlstate ?? '(none)'}`);
  }
  t.same([...documented.keys()].filter((c) => !(c! in ERROR_CATALOGUE)), [], 'no stale codes in the docs');
});

t.test('TripwireError renders its template and keeps its cause', async (t) => {
  const cause = new Error('ECONNREFUSED');
  const err = new TripwireError('TW_UPSTREAM_UNREACHABLE', { address: '127.0.0.1:1', detail: 'refused' }, { cause });
  t.equal(err.message, 'tripwire cannot reach the upstream server 127.0.0.1:1: refused');
  t.equal(err.sqlstate, '08006');
  t.equal(err.code, 'TW_UPSTREAM_UNREACHABLE');
  t.equal(err.cause, cause);
  t.ok(err instanceof Error);
});
