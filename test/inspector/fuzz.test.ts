/**
 * Random and truncated SQL into the lint entry point: it must never throw, never hang, and always
 * answer with findings that point inside the text.
 */
import t, { type Test } from 'tap';
import { lintText } from '../../src/inspector/index.js';
import { CATALOG, SCHEMA_SQL } from './helpers.js';
import { readdirSync, readFileSync } from 'node:fs';

/** A small deterministic generator, so a failure can be replayed from its seed. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const PIECES = [
  'SELECT', 'DROP', 'TABLE', 'ALTER', 'COLUMN', 'customers', 'phone', ';', "'", '"', '$$', '$x$', '--', '/*', '*/', '(', ')', ',', '\\',
  'BEGIN', 'ATOMIC', 'END', 'DO', 'EXECUTE', 'U&"\\0041"', "E'\\''", 'CREATE FUNCTION f() RETURNS void LANGUAGE plpgsql AS', 'CASCADE',
  'DELETE FROM', 'WHERE', '1=1', '\n', ' ', 'é', '😀', '\u0000', 'PREPARE p AS', 'WITH x AS (', 'TRUNCATE', 'SET search_path TO',
];

function corpusTexts(): string[] {
  const root = new URL('./corpus/', import.meta.url);
  const out = [SCHEMA_SQL];
  for (const group of readdirSync(root, { withFileTypes: true }).filter((d) => d.isDirectory())) {
    for (const f of readdirSync(new URL(`${group.name}/`, root))) out.push(readFileSync(new URL(`${group.name}/${f}`, root), 'utf8'));
  }
  return out;
}

function check(t: Test, text: string, label: string): void {
  let result;
  try {
    result = lintText(text, { catalog: CATALOG });
  } catch (err) {
    t.fail(`${label} threw: ${(err as Error).stack}`);
    return;
  }
  for (const f of result.findings) {
    if (f.offset < 0 || f.offset > text.length || f.line < 1 || f.column < 1) t.fail(`${label}: finding outside the text ${JSON.stringify(f)}`);
  }
}

t.test('every prefix of every corpus file (truncated SQL)', async (t) => {
  const started = Date.now();
  let n = 0;
  for (const text of corpusTexts()) {
    const step = Math.max(1, Math.floor(text.length / 40));
    for (let cut = 0; cut <= text.length; cut += step) {
      check(t, text.slice(0, cut), `prefix ${cut}`);
      n++;
    }
  }
  t.pass(`${n} truncated texts linted in ${Date.now() - started} ms`);
});

t.test('random token soup and random bytes', async (t) => {
  const random = rng(20261123);
  const started = Date.now();
  for (let i = 0; i < 1500; i++) {
    const len = 1 + Math.floor(random() * 40);
    let text = '';
    for (let j = 0; j < len; j++) text += PIECES[Math.floor(random() * PIECES.length)] + (random() < 0.7 ? ' ' : '');
    check(t, text, `soup #${i}`);
  }
  for (let i = 0; i < 300; i++) {
    const len = Math.floor(random() * 200);
    let text = '';
    for (let j = 0; j < len; j++) text += String.fromCharCode(Math.floor(random() * 0x3000));
    check(t, text, `bytes #${i}`);
  }
  t.ok(Date.now() - started < 60_000, 'no hang');
});

t.test('pathological input stays fast: deep nesting, long lines, many semicolons', async (t) => {
  const cases = ['('.repeat(5000), 'SELECT ' + '('.repeat(2000) + '1' + ')'.repeat(2000), ';'.repeat(20000), "'".repeat(10001), 'begin atomic;'.repeat(2000), '$$'.repeat(3001), 'x'.repeat(200000)];
  for (const text of cases) {
    const started = Date.now();
    check(t, text, text.slice(0, 20));
    t.ok(Date.now() - started < 10_000, `${JSON.stringify(text.slice(0, 12))}… answered in ${Date.now() - started} ms`);
  }
});
