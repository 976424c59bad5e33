/**
 * `tripwire lint` through the real binary (dist/cli/main.js, built by `npm run build`): inputs,
 * formats, exit codes, suppressions and the JSON contract.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import t from 'tap';

const BIN = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));
const SCHEMA = fileURLToPath(new URL('../inspector/corpus/schema.sql', import.meta.url));

if (!existsSync(BIN)) throw new Error(`${BIN} is missing: run npm run build first`);

function lint(args: string[], input?: string) {
  const r = spawnSync(process.execPath, [BIN, 'lint', ...args], { input, encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const dir = mkdtempSync(join(tmpdir(), 'tripwire-lint-'));
t.teardown(() => rmSync(dir, { recursive: true, force: true }));
function file(name: string, text: string): string {
  const path = join(dir, name);
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, text);
  return path;
}

const SEED = file('seed.sql', 'ALTER TABLE customers DROP COLUMN phone;\nALTER TABLE customers ADD COLUMN phone varchar(20);\n');
const CLEAN = file('clean.sql', "SET lock_timeout = '5s';\nALTER TABLE customers ADD COLUMN nickname text;\n");

t.test('exit 1 on a block finding; the text format underlines the statement and gives the fix', async (t) => {
  const r = lint(['--schema', SCHEMA, SEED]);
  t.equal(r.code, 1);
  t.match(r.stdout, `${SEED}:1:1: block rename-as-drop: This "rename" is a drop: it drops customers.phone and recreates it empty — the data goes with it.`);
  t.match(r.stdout, '  1 | ALTER TABLE customers DROP COLUMN phone;\n    | ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^\n  fix: ');
  t.match(r.stdout, /1 block, 1 warn, 0 info in 1 file\n$/);
});

t.test('exit 0 when nothing blocks', async (t) => {
  const r = lint(['--schema', SCHEMA, CLEAN]);
  t.equal(r.code, 0);
  t.equal(r.stdout, '0 block, 0 warn, 0 info in 1 file\n');
});

t.test('the JSON contract', async (t) => {
  const r = lint(['--schema', SCHEMA, '--format', 'json', SEED]);
  t.equal(r.code, 1);
  const body = JSON.parse(r.stdout);
  t.same(body.summary, { block: 1, warn: 1, info: 0, suppressed: 0 });
  t.equal(body.files.length, 1);
  t.equal(body.files[0].path, SEED);
  const f = body.files[0].findings[0];
  t.match(f, { rule: 'rename-as-drop', severity: 'block', line: 1, column: 1, statement: 1, objects: ['public.customers.phone'], suppressed: false });
  t.equal(typeof f.message, 'string');
  t.equal(body.files[0].findings[1].rule, 'missing-lock-timeout');
});

t.test('SARIF 2.1.0 and GitHub annotations', async (t) => {
  const sarif = JSON.parse(lint(['--schema', SCHEMA, '--format', 'sarif', SEED]).stdout);
  t.equal(sarif.version, '2.1.0');
  const run = sarif.runs[0];
  t.equal(run.tool.driver.name, 'tripwire');
  t.ok(run.tool.driver.rules.some((r: { id: string }) => r.id === 'rename-as-drop'));
  t.match(run.results[0], { ruleId: 'rename-as-drop', level: 'error', locations: [{ physicalLocation: { region: { startLine: 1, startColumn: 1 } } }] });
  const gh = lint(['--schema', SCHEMA, '--format', 'github', SEED]);
  t.equal(gh.code, 1);
  const lines = gh.stdout.trim().split('\n');
  t.equal(lines.length, 2);
  t.match(lines[0], new RegExp(`^::error file=${SEED.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')},line=1,col=1,endLine=1,endColumn=\\d+,title=tripwire rename-as-drop::This "rename" is a drop`));
  t.match(lines[1], /^::warning .*title=tripwire missing-lock-timeout::/);
});

t.test('stdin with -', async (t) => {
  const r = lint(['--format', 'json', '-'], 'DELETE FROM sessions;');
  t.equal(r.code, 1);
  const body = JSON.parse(r.stdout);
  t.equal(body.files[0].path, '<stdin>');
  t.same(body.files[0].findings.map((f: { rule: string }) => f.rule), ['delete-all-rows']);
});

t.test('a directory gives its *.sql files, recursively, sorted; each file is its own migration', async (t) => {
  file('migrations/002_drop.sql', 'ALTER TABLE widgets DROP COLUMN name;\n');
  file('migrations/001_create.sql', 'CREATE TABLE widgets (id int, name text);\n');
  file('migrations/nested/003_index.sql', 'CREATE INDEX CONCURRENTLY widgets_name ON widgets (name);\n');
  file('migrations/README.md', 'not sql');
  const r = lint(['--schema', SCHEMA, '--format', 'json', join(dir, 'migrations')]);
  const body = JSON.parse(r.stdout);
  t.same(body.files.map((f: { path: string }) => f.path), ['001_create.sql', '002_drop.sql', 'nested/003_index.sql'].map((p) => join(dir, 'migrations', p)));
  t.equal(r.code, 0, 'with --schema, widgets does not exist before 001, so 002 on its own drops nothing');
});

t.test('--consecutive applies the files in order: 002 drops a column 001 created in an earlier migration', async (t) => {
  const r = lint(['--schema', SCHEMA, '--consecutive', '--format', 'json', join(dir, 'migrations')]);
  t.equal(r.code, 1);
  const body = JSON.parse(r.stdout);
  t.same(body.files[1].findings.map((f: { rule: string; objects: string[] }) => `${f.rule} ${f.objects.join(' ')}`), ['drop-column public.widgets.name', 'missing-lock-timeout public.widgets']);
});

t.test('without --schema, unknown objects are assumed to exist', async (t) => {
  const r = lint(['--format', 'json', join(dir, 'migrations', '002_drop.sql')]);
  t.equal(r.code, 1);
});

t.test('suppressions: allowed with a reason, unknown rule id, unused allow', async (t) => {
  const allowed = file('allowed.sql', '-- tripwire:allow drop-table replaced by events (ticket 812)\nDROP TABLE audit_log;\n');
  const r = lint(['--schema', SCHEMA, '--format', 'json', allowed]);
  t.equal(r.code, 0);
  const [drop] = JSON.parse(r.stdout).files[0].findings.filter((f: { rule: string }) => f.rule === 'drop-table');
  t.match(drop, { suppressed: true, suppression: { reason: 'replaced by events (ticket 812)', line: 1 } });
  const unknown = lint(['--schema', SCHEMA, file('unknown.sql', '-- tripwire:allow drop-tables typo\nSELECT 1;\n')]);
  t.equal(unknown.code, 1);
  t.match(unknown.stdout, 'block allow-invalid: tripwire:allow names an unknown rule "drop-tables"');
  const unused = lint(['--schema', SCHEMA, file('unused.sql', '-- tripwire:allow truncate not any more\nSELECT 1;\n')]);
  t.equal(unused.code, 0);
  t.match(unused.stdout, 'warn allow-unused: tripwire:allow truncate suppressed nothing');
});

t.test('usage errors and unreadable files exit 2', async (t) => {
  const missing = lint([join(dir, 'nope.sql')]);
  t.equal(missing.code, 2);
  t.match(missing.stderr, `tripwire: cannot read ${join(dir, 'nope.sql')}: no such file or directory`);
  t.equal(missing.stdout, '', 'nothing is linted when a path is unreadable');
  t.equal(lint(['--format', 'xml', CLEAN]).code, 2);
  t.equal(lint([]).code, 2);
  t.equal(lint(['--bogus', CLEAN]).code, 2);
  const badSchema = lint(['--schema', file('bad-schema.sql', 'CREATE TABLE (;'), CLEAN]);
  t.equal(badSchema.code, 2);
  t.match(badSchema.stderr, /the schema file .*bad-schema\.sql cannot be used: line 1: syntax error/);
  t.equal(lint(['--schema', join(dir, 'no-schema.sql'), CLEAN]).code, 2);
});

t.test('a syntax error is a located block finding, not a crash', async (t) => {
  const r = lint(['--format', 'json', file('broken.sql', 'SELECT 1;\nALTER TABLE;\n')]);
  t.equal(r.code, 1);
  t.match(JSON.parse(r.stdout).files[0].findings, [{ rule: 'syntax-error', severity: 'block', line: 2 }]);
});
