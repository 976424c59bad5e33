/** `--policy FILE|DIR`: real files in temp directories; merge order and rules; load errors. */
import t from 'tap';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { TripwireError } from '../../src/errors.js';
import { applyPolicyLimits, decide, defaultPolicyPath, loadPolicy, PolicyError, schemaPath } from '../../src/policy/index.js';
import { DEFAULT_LIMITS } from '../../src/proxy/limits.js';

const BASE = `version: 1
mode: observe
severity: {block: warn}
rules: {truncate: hold}
lockTimeout: 5s
limits: {maxMessageBytes: 2048}
scopes:
  - name: from base
    match: {database: prod}
    rules: {drop-column: hold}
exemptions:
  - rules: [drop-table]
    match: {table: tmp_*}
    reason: scratch
`;
const PROD = `version: 1
mode: enforce
severity: {warn: hold}
rules: {drop-column: warn}
lockTimeout: 1min
limits: {connectTimeoutMs: 500}
scopes:
  - name: from prod
    match: {role: app}
    rules: {drop-column: allow}
`;

t.test('a single file', async (t) => {
  const dir = t.testdir({ 'prod.yaml': PROD });
  const p = await loadPolicy(join(dir, 'prod.yaml'));
  t.equal(p.mode, 'enforce');
  t.same(p.sources, [join(dir, 'prod.yaml')]);
  t.equal(p.lockTimeoutMs, 60_000);
  t.same(p.limits, { connectTimeoutMs: 500 });
  t.same(p.base.severity, { block: 'hold', warn: 'hold', info: 'allow' }, 'defaults fill what the file does not set');
  t.same(p.scopes[0]!.source, { file: join(dir, 'prod.yaml'), line: 8 });
});

t.test('a directory: *.yaml and *.yml merged in name order; later scalars and keys win, lists append', async (t) => {
  const dir = t.testdir({
    '10-base.yaml': BASE,
    '20-prod.yml': PROD,
    '.30-hidden.yaml': 'not: valid',
    'README.txt': 'not a policy',
    'sub': { 'deep.yaml': 'not: valid' },
    'folder.yaml': {},
  });
  const p = await loadPolicy(dir);
  t.same(p.sources, [join(dir, '10-base.yaml'), join(dir, '20-prod.yml')]);
  t.equal(p.mode, 'enforce', 'the later file sets mode');
  t.same(p.base.severity, { block: 'warn', warn: 'hold', info: 'allow' }, 'severity merged key by key');
  t.same(p.base.rules, { truncate: 'hold', 'drop-column': 'warn' }, 'rules merged key by key');
  t.same(p.base.origins['rules.truncate'], { file: join(dir, '10-base.yaml'), line: 4 });
  t.same(p.base.origins['rules.drop-column'], { file: join(dir, '20-prod.yml'), line: 4 });
  t.equal(p.lockTimeoutMs, 60_000);
  t.same(p.limits, { maxMessageBytes: 2048, connectTimeoutMs: 500 });
  t.same(p.scopes.map((s) => [s.name, s.order]), [['from base', 0], ['from prod', 1]]);
  t.equal(p.exemptions.length, 1);
  // Both scopes have one match key, so the later file's wins.
  const v = decide(p, [{ rule: 'drop-column', severity: 'block', objects: ['public.t.c'] }], { database: 'prod', role: 'app' });
  t.equal(v.action, 'allow');
  t.match(v.decisions[0]!.reason, /scope "from prod" rules\.drop-column \(.*20-prod\.yml:10\)/);
});

t.test('names sort by code point, not by locale', async (t) => {
  const dir = t.testdir({ 'b.yaml': 'version: 1\nmode: observe\n', 'B.yaml': 'version: 1\nmode: enforce\n' });
  const p = await loadPolicy(dir);
  t.same(p.sources.map((s) => s.slice(dir.length + 1)), ['B.yaml', 'b.yaml']);
  t.equal(p.mode, 'observe');
});

t.test('problems in several files are reported together', async (t) => {
  const dir = t.testdir({ 'a.yaml': 'version: 1\nrules: {drop-colum: hold}\n', 'b.yaml': 'version: 1\nmode: enforce\n', 'c.yaml': 'version: 1\nmode: [x\n' });
  const err = (await loadPolicy(dir).then(
    () => null,
    (e: unknown) => e,
  )) as PolicyError;
  t.ok(err instanceof PolicyError);
  t.equal(err.code, 'TW_POLICY_INVALID');
  t.same(err.issues.map((i) => [i.file.slice(dir.length + 1), i.line, i.path]), [
    ['a.yaml', 2, 'rules.drop-colum'],
    ['c.yaml', 3, '(yaml)'],
  ]);
  t.match(err.message, new RegExp(`^invalid policy ${dir}:\n${join(dir, 'a.yaml')}:2:9: rules.drop-colum: unknown rule id`));
});

t.test('a missing path or a directory without policies is TW_POLICY_UNREADABLE', async (t) => {
  const dir = t.testdir({ 'notes.md': '# nothing' });
  const missing = (await loadPolicy(join(dir, 'nope.yaml')).catch((e: unknown) => e)) as TripwireError;
  t.equal(missing.code, 'TW_POLICY_UNREADABLE');
  t.equal(missing.message, `cannot read policy ${join(dir, 'nope.yaml')}: no such file or directory`);
  const empty = (await loadPolicy(dir).catch((e: unknown) => e)) as TripwireError;
  t.equal(empty.code, 'TW_POLICY_UNREADABLE');
  t.equal(empty.message, `cannot read policy ${dir}: the directory has no *.yaml or *.yml files`);
});

t.test('without --policy, the packaged policies/default.yaml is loaded', async (t) => {
  t.ok(existsSync(defaultPolicyPath()));
  t.ok(existsSync(schemaPath()));
  t.equal(defaultPolicyPath(), new URL('../../policies/default.yaml', import.meta.url).pathname);
  const p = await loadPolicy();
  t.same(p.sources, [defaultPolicyPath()]);
  t.equal(p.mode, 'enforce');
  t.same(p.base.severity, { block: 'hold', warn: 'warn', info: 'allow' });
  t.equal(p.base.emptyObjects, 'notice');
  t.equal(p.base.unresolvedDynamicSql, 'hold');
});

t.test('the loaded policy is deeply frozen', async (t) => {
  const dir = t.testdir({ 'p.yaml': BASE });
  const p = await loadPolicy(join(dir, 'p.yaml'));
  t.throws(() => {
    (p as { mode: string }).mode = 'enforce';
  });
  t.throws(() => {
    (p.scopes as unknown[]).push({});
  });
  t.throws(() => {
    (p.exemptions[0]!.match.table as string[])[0] = '*';
  });
  t.equal(p.mode, 'observe');
});

t.test("the policy's limits replace the proxy's, the others stay", async (t) => {
  const dir = t.testdir({ 'p.yaml': BASE });
  const limits = applyPolicyLimits(DEFAULT_LIMITS, await loadPolicy(join(dir, 'p.yaml')));
  t.same(limits, { ...DEFAULT_LIMITS, maxMessageBytes: 2048 });
});
