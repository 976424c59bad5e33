/**
 * npm run bench:lint — how fast tripwire lints, and what it catches next to squawk-cli.
 *
 * 1. Assembles a 10,000-statement migration, lints it in-process (file mode, as lint does) and
 *    statement by statement with carried state (query mode, as the proxy will), and reports
 *    statements per second.
 * 2. Runs both CLIs end to end on the same file: `tripwire lint` and `squawk`.
 * 3. Runs both on the labelled corpus (test/inspector/corpus): how many of the data-destroying
 *    cases each flags, and how many of the safe ones (labels safe and hazard) it flags falsely.
 *    For tripwire a flag is an unsuppressed `block` finding; for squawk, a finding of one of its
 *    rules about data loss (SQUAWK_DATA_LOSS below).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { catalogFromSql, emptyCatalog, inspect, lintText, loadInspector, type Catalog, type InspectorState } from '../src/inspector/index.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const CORPUS = join(ROOT, 'test/inspector/corpus');
const SCHEMA = join(CORPUS, 'schema.sql');
const TRIPWIRE = join(ROOT, 'dist/cli/main.js');
const SQUAWK_VERSION = '2.66.0';

/**
 * squawk-cli ships its binary through per-platform optionalDependencies, some of which the
 * registry here does not carry, so it cannot be a locked devDependency (npm ci would fail).
 * The bench installs it on demand into a cache directory instead.
 */
function squawkBinary(): string {
  const local = join(ROOT, 'node_modules/.bin/squawk');
  if (existsSync(local)) return local;
  const prefix = join(tmpdir(), `tripwire-bench-squawk-${SQUAWK_VERSION}`);
  const bin = join(prefix, 'node_modules/.bin/squawk');
  if (!existsSync(bin)) {
    console.error(`installing squawk-cli@${SQUAWK_VERSION} into ${prefix} …`);
    execFileSync('npm', ['install', '--no-save', '--no-audit', '--no-fund', '--prefix', prefix, `squawk-cli@${SQUAWK_VERSION}`], { stdio: 'inherit' });
  }
  return bin;
}
const SQUAWK = squawkBinary();
const STATEMENTS = 10_000;

/** squawk's rules that are about losing data (its other rules are about locks, types and style). */
const SQUAWK_DATA_LOSS = new Set(['ban-drop-column', 'ban-drop-table', 'ban-drop-database', 'ban-truncate-cascade', 'changing-column-type']);

/** A realistic mix: new tables and columns, indexes, DML, and now and then something destructive. */
const TEMPLATES: ((i: number) => string)[] = [
  (i) => `CREATE TABLE widgets_${i} (id bigserial PRIMARY KEY, name text NOT NULL, price numeric(10,2), created_at timestamptz DEFAULT now());`,
  (i) => `ALTER TABLE widgets_${i - 1} ADD COLUMN note_${i} text;`,
  (i) => `CREATE INDEX CONCURRENTLY widgets_${i - 2}_name_idx ON widgets_${i - 2} (name);`,
  (i) => `INSERT INTO orders (customer_id, total, placed_at) VALUES (${i}, ${i}.50, now());`,
  (i) => `UPDATE customers SET status = 'active' WHERE id = ${i};`,
  (i) => `SELECT c.id, sum(o.total) FROM customers c JOIN orders o ON o.customer_id = c.id WHERE c.id > ${i} GROUP BY c.id;`,
  (i) => `DELETE FROM sessions WHERE expires_at < now() - interval '${i % 90} days';`,
  (i) => `ALTER TABLE widgets_${i - 7} ALTER COLUMN price TYPE numeric(12,2);`,
  (i) => `COMMENT ON TABLE widgets_${i - 8} IS 'batch ${i}';`,
  (i) => (i % 50 === 9 ? `ALTER TABLE customers DROP COLUMN IF EXISTS extra_${i};` : `UPDATE orders SET note = lower(note) WHERE id = ${i};`),
];

function assemble(): string[] {
  const out: string[] = [];
  for (let i = 0; out.length < STATEMENTS; i++) out.push(TEMPLATES[i % TEMPLATES.length]!(i));
  return out;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

function timeRuns(runs: number, fn: () => void): number {
  fn(); // warm-up
  const times: number[] = [];
  for (let r = 0; r < runs; r++) {
    const start = performance.now();
    fn();
    times.push(performance.now() - start);
  }
  return median(times);
}

function spawnTimed(cmd: string, args: string[]): { ms: number; stdout: string; status: number | null } {
  const start = performance.now();
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 512 * 1024 * 1024 });
  return { ms: performance.now() - start, stdout: r.stdout, status: r.status };
}

function speed(lines: string[], catalog: Catalog, file: string): void {
  const text = lines.join('\n');
  const fileMs = timeRuns(3, () => lintText(text, { catalog }));
  const queryMs = timeRuns(1, () => {
    let state: InspectorState | undefined;
    for (const sql of lines) state = inspect(sql, state ? { state } : { catalog }).state;
  });
  const dml = lines.filter((l) => /^(SELECT|UPDATE|INSERT|DELETE)/.test(l));
  const dmlMs = timeRuns(1, () => {
    let state: InspectorState | undefined;
    for (const sql of dml) state = inspect(sql, state ? { state } : { catalog }).state;
  });
  const tw = [1, 2, 3].map(() => spawnTimed(process.execPath, [TRIPWIRE, 'lint', '--schema', SCHEMA, '--format', 'json', file]));
  const sq = [1, 2, 3].map(() => spawnTimed(SQUAWK, ['--reporter', 'json', file]));
  const twMs = median(tw.map((r) => r.ms));
  const sqMs = median(sq.map((r) => r.ms));
  const twFindings = JSON.parse(tw[0]!.stdout).files[0].findings.length as number;
  const sqFindings = (JSON.parse(sq[0]!.stdout || '[]') as unknown[]).length;
  console.log(`\n== speed: ${lines.length} statements (${(text.length / 1024).toFixed(0)} KiB) ==`);
  console.log(`tripwire in-process, file mode (lint):     ${fileMs.toFixed(0)} ms  = ${Math.round((lines.length / fileMs) * 1000)} statements/s`);
  console.log(`tripwire in-process, one call per statement (proxy): ${queryMs.toFixed(0)} ms  = ${Math.round((lines.length / queryMs) * 1000)} statements/s`);
  console.log(`  of which SELECT/INSERT/UPDATE/DELETE only: ${dml.length} in ${dmlMs.toFixed(0)} ms = ${Math.round((dml.length / dmlMs) * 1000)} statements/s`);
  console.log(`tripwire lint CLI, end to end (median of 3): ${twMs.toFixed(0)} ms  (${twFindings} findings)`);
  console.log(`squawk CLI, end to end (median of 3):        ${sqMs.toFixed(0)} ms  (${sqFindings} findings)`);
}

interface Case {
  readonly path: string;
  readonly label: string;
  readonly schema: boolean;
}

function corpusCases(): Case[] {
  const out: Case[] = [];
  for (const group of readdirSync(CORPUS, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort()) {
    for (const f of readdirSync(join(CORPUS, group)).filter((n) => n.endsWith('.sql')).sort()) {
      const path = join(CORPUS, group, f);
      const text = readFileSync(path, 'utf8');
      out.push({ path, label: /^-- label: (\w+)/m.exec(text)?.[1] ?? '', schema: !/^-- schema: none/m.test(text) });
    }
  }
  return out;
}

function squawkFlags(paths: string[]): { ms: number; flagged: Map<string, Set<string>> } {
  const r = spawnTimed(SQUAWK, ['--reporter', 'json', ...paths]);
  const flagged = new Map<string, Set<string>>();
  for (const v of JSON.parse(r.stdout || '[]') as { file: string; rule_name: string }[]) {
    const key = paths.find((p) => p.endsWith(v.file)) ?? v.file;
    flagged.set(key, (flagged.get(key) ?? new Set()).add(v.rule_name));
  }
  return { ms: r.ms, flagged };
}

function detection(catalog: Catalog): void {
  const cases = corpusCases().filter((c) => ['destructive', 'safe', 'hazard'].includes(c.label));
  const destructive = cases.filter((c) => c.label === 'destructive');
  const harmless = cases.filter((c) => c.label !== 'destructive');
  const start = performance.now();
  const twBlocks = new Map(cases.map((c) => [c.path, lintText(readFileSync(c.path, 'utf8'), { catalog: c.schema ? catalog : emptyCatalog() }).findings.some((f) => f.severity === 'block' && !f.suppressed)]));
  const twMs = performance.now() - start;
  const sq = squawkFlags(cases.map((c) => c.path));
  const sqLoss = (c: Case) => [...(sq.flagged.get(c.path) ?? [])].some((r) => SQUAWK_DATA_LOSS.has(r));
  const sqAny = (c: Case) => (sq.flagged.get(c.path)?.size ?? 0) > 0;
  const missedBySquawk = destructive.filter((c) => !sqLoss(c)).map((c) => c.path.slice(CORPUS.length + 1));
  console.log(`\n== corpus: ${destructive.length} data-destroying cases, ${harmless.length} that destroy nothing (safe and hazard) ==`);
  console.log(`tripwire: flags ${destructive.filter((c) => twBlocks.get(c.path)).length}/${destructive.length} destroying; false blocks on ${harmless.filter((c) => twBlocks.get(c.path)).length}/${harmless.length}  (${twMs.toFixed(0)} ms in-process)`);
  console.log(`squawk:   flags ${destructive.filter(sqLoss).length}/${destructive.length} destroying with a data-loss rule; data-loss warnings on ${harmless.filter(sqLoss).length}/${harmless.length}  (${sq.ms.toFixed(0)} ms, one process)`);
  console.log(`          any squawk finding at all: ${destructive.filter(sqAny).length}/${destructive.length} destroying, ${harmless.filter(sqAny).length}/${harmless.length} harmless`);
  console.log(`          squawk data-loss rules counted: ${[...SQUAWK_DATA_LOSS].join(', ')}`);
  console.log(`missed by squawk: ${missedBySquawk.join(', ')}`);
}

await loadInspector();
const schema = catalogFromSql(readFileSync(SCHEMA, 'utf8'));
if (schema.error) throw new Error(`corpus schema: ${schema.error.message}`);
const lines = assemble();
const dir = mkdtempSync(join(tmpdir(), 'tripwire-bench-'));
const file = join(dir, 'migration-10k.sql');
writeFileSync(file, `${lines.join('\n')}\n`);
console.log(`tripwire ${JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version}, ${spawnSync(SQUAWK, ['--version'], { encoding: 'utf8' }).stdout.trim()}, node ${process.version}`);
speed(lines, schema.catalog, file);
detection(schema.catalog);
