/**
 * The labelled corpus: every case in corpus/<group>/*.sql states its label and its expected
 * findings in comments; this runs lint on each and compares, exactly.
 *   -- label: destructive | safe | hazard | invalid | allowed
 *   -- expect: <rule>@<line> [objects…] [(suppressed)]   or   -- expect: nothing
 *   -- schema: none   (lint without --schema)
 */
import { readdirSync, readFileSync } from 'node:fs';
import t from 'tap';
import { emptyCatalog, lintText, RULES_BY_ID } from '../../src/inspector/index.js';
import { CATALOG } from './helpers.js';

const ROOT = new URL('./corpus/', import.meta.url);

export interface CorpusCase {
  readonly path: string;
  readonly title: string;
  readonly label: string;
  readonly schema: boolean;
  readonly expected: string[];
  readonly sql: string;
}

function readCases(): CorpusCase[] {
  const out: CorpusCase[] = [];
  for (const group of readdirSync(ROOT, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort()) {
    for (const file of readdirSync(new URL(`${group}/`, ROOT)).filter((f) => f.endsWith('.sql')).sort()) {
      const sql = readFileSync(new URL(`${group}/${file}`, ROOT), 'utf8');
      const field = (name: string) => [...sql.matchAll(new RegExp(`^-- ${name}: (.*)$`, 'gm'))].map((m) => m[1]!.trim());
      const expected = field('expect').filter((e) => e !== 'nothing');
      out.push({ path: `${group}/${file}`, title: field('case')[0] ?? file, label: field('label')[0] ?? '', schema: field('schema')[0] !== 'none', expected, sql });
    }
  }
  return out;
}

const cases = readCases();

t.test('the corpus holds at least 120 labelled cases, with every rule covered', async (t) => {
  t.ok(cases.length >= 120, `${cases.length} cases`);
  const labels = new Set(['destructive', 'safe', 'hazard', 'invalid', 'allowed']);
  for (const c of cases) t.ok(labels.has(c.label), `${c.path} has a known label (${c.label})`);
  const covered = new Set(cases.flatMap((c) => c.expected.map((e) => e.split('@')[0]!)));
  // inspector-error is tripwire's own failure: no SQL should ever produce it (state.test.ts provokes it).
  for (const id of RULES_BY_ID.keys()) if (id !== 'inspector-error') t.ok(covered.has(id), `some case expects ${id}`);
});

for (const c of cases) {
  t.test(`${c.path}: ${c.title}`, async (t) => {
    const result = lintText(c.sql, { catalog: c.schema ? CATALOG : emptyCatalog() });
    const actual = result.findings.map((f) => `${f.rule}@${f.line}${f.objects.length ? ` ${f.objects.join(' ')}` : ''}${f.suppressed ? ' (suppressed)' : ''}`);
    t.same([...actual].sort(), [...c.expected].sort(), 'findings as expected');
    const blocks = result.findings.filter((f) => f.severity === 'block' && !f.suppressed);
    const warns = result.findings.filter((f) => f.severity === 'warn' && !f.suppressed);
    if (c.label === 'destructive') t.ok(blocks.some((f) => ['data-loss', 'hidden-sql'].includes(RULES_BY_ID.get(f.rule)!.category)), 'a data-loss block');
    if (c.label === 'safe') t.same([...blocks, ...warns].map((f) => f.rule), [], 'no block, no warn');
    if (c.label === 'hazard') t.ok(blocks.length === 0 && warns.length > 0, 'a warning and no block');
    if (c.label === 'allowed') t.ok(blocks.length === 0 && result.findings.some((f) => f.suppressed), 'blocks allowed by directives');
  });
}
