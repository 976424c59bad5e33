/**
 * policies/schema.json and the loader's messages: bad policies are refused with the file, line,
 * column, field and what is wrong, all problems at once.
 */
import t from 'tap';
import { readFileSync, readdirSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { RULES } from '../../src/inspector/rules/registry.js';
import { formatIssue, parsePolicy, PolicyError, validatePolicyText } from '../../src/policy/index.js';
import { LIMIT_RANGES } from '../../src/proxy/limits.js';

const root = new URL('../../', import.meta.url);
const schema = JSON.parse(readFileSync(new URL('policies/schema.json', root), 'utf8')) as Record<string, unknown>;

/** The formatted issues of a text that must fail. */
function problems(text: string, name = 'policies/prod.yaml'): string[] {
  const r = validatePolicyText(text, name);
  if (r.ok) throw new Error(`expected ${name} to be invalid`);
  return r.issues.map(formatIssue);
}

t.test('the schema compiles in ajv strict mode, and every object in it forbids unknown keys', async (t) => {
  const ajv = new Ajv2020({ strict: true, allowUnionTypes: true });
  t.doesNotThrow(() => ajv.compile(schema));
  const loose: string[] = [];
  const walk = (node: unknown, path: string): void => {
    if (node === null || typeof node !== 'object') return;
    const n = node as Record<string, unknown>;
    if (n.type === 'object') {
      // A map (rule id → action) constrains its keys with propertyNames and its values with additionalProperties.
      const isMap = n.propertyNames !== undefined && typeof n.additionalProperties === 'object';
      if (n.additionalProperties !== false && !isMap) loose.push(path);
    }
    for (const [k, v] of Object.entries(n)) walk(v, `${path}/${k}`);
  };
  walk(schema, '#');
  t.same(loose, [], 'no object schema allows unknown keys');
});

t.test("the schema's limits are the proxy's limit ranges", async (t) => {
  const limits = (schema.$defs as Record<string, { properties: Record<string, { minimum: number; maximum: number }> }>).limits!.properties;
  t.same(Object.keys(limits).sort(), Object.keys(LIMIT_RANGES).sort());
  for (const [name, [min, max]] of Object.entries(LIMIT_RANGES)) {
    t.same([limits[name]!.minimum, limits[name]!.maximum], [min, max], name);
  }
});

t.test('a wrong type names the file, line, column and field', async (t) => {
  t.same(problems('version: 1\nmode: enforce\nrules:\n  drop-column: [hold]\n'), [
    'policies/prod.yaml:4:16: rules.drop-column: must be one of hold, warn, allow, got a list',
  ]);
  t.same(problems('version: 1\nlimits:\n  maxMessageBytes: lots\n'), ['policies/prod.yaml:3:20: limits.maxMessageBytes: must be a whole number, got "lots"']);
  t.same(problems('version: 1\nscopes:\n  match: {table: x}\n'), ['policies/prod.yaml:3:3: scopes: must be a list, got a mapping']);
  t.same(problems('- version: 1\n'), ['policies/prod.yaml:1:1: (policy): must be a mapping, got a list']);
});

t.test('an unknown key is pointed at, with a suggestion', async (t) => {
  t.same(problems('version: 1\nseverity:\n  block: hold\n  wran: warn\n'), ['policies/prod.yaml:4:3: severity.wran: unknown key "wran" (did you mean "warn"?)']);
  t.same(problems('version: 1\nexemptions:\n  - rules: [truncate]\n    match: {table: tmp_*}\n    reason: scratch\n    expires: 2027-01-01\n'), [
    'policies/prod.yaml:6:5: exemptions[0].expires: unknown key "expires"',
  ]);
  t.same(problems('version: 1\nlockTimout: 5s\n'), ['policies/prod.yaml:2:1: lockTimout: unknown key "lockTimout" (did you mean "lockTimeout"?)']);
});

t.test('an exemption needs a reason, and a blank one is not a reason', async (t) => {
  const missing = problems('version: 1\nexemptions:\n  - rules: [drop-table]\n    match:\n      table: tmp_*\n');
  t.equal(missing.length, 1);
  t.match(missing[0], /^policies\/prod\.yaml:3:5: exemptions\[0\]\.reason: is required: every exemption needs a reason/);
  t.same(problems('version: 1\nexemptions:\n  - rules: [drop-table]\n    match: {table: tmp_*}\n    reason: "   "\n'), [
    'policies/prod.yaml:5:13: exemptions[0].reason: must not be blank',
  ]);
  t.same(problems('version: 1\nexemptions:\n  - rules: [drop-table]\n    match: {}\n    reason: because\n'), ['policies/prod.yaml:4:12: exemptions[0].match: must not be empty']);
  t.same(problems('version: 1\nexemptions:\n  - rules: [drop-table]\n    match: {table: t}\n    reason:\n'), ['policies/prod.yaml:5:5: exemptions[0].reason: must be a string, got nothing']);
  t.same(problems('version: 1\nexemptions:\n  - rules: [drop-table, drop-table]\n    match: {table: t}\n    reason: r\n'), [
    'policies/prod.yaml:3:12: exemptions[0].rules: lists "drop-table" twice',
  ]);
});

t.test('an unknown rule id is an error, with the closest known id', async (t) => {
  t.same(problems('version: 1\nmode: enforce\nrules:\n  drop-colum: hold\n'), [
    'policies/prod.yaml:4:3: rules.drop-colum: unknown rule id "drop-colum" (did you mean "drop-column"?)',
  ]);
  t.same(problems('version: 1\nexemptions:\n  - rules: [truncate, drop-tabel]\n    match: {table: t}\n    reason: r\n'), [
    'policies/prod.yaml:3:23: exemptions[0].rules[1]: unknown rule id "drop-tabel" (did you mean "drop-table"?)',
  ]);
  t.same(problems('version: 1\nscopes:\n  - match: {role: ci}\n    rules: {no-such-rule: warn}\n'), [
    'policies/prod.yaml:4:13: scopes[0].rules.no-such-rule: unknown rule id "no-such-rule"',
  ]);
  t.same(problems('version: 1\nrules:\n  Drop_Table: hold\n'), [
    'policies/prod.yaml:3:3: rules.Drop_Table: "Drop_Table" is not a rule id: lower-case words joined by hyphens, such as drop-column',
  ]);
});

t.test('every rule in the registry may be named', async (t) => {
  const ids = RULES.map((r) => r.id).filter((id) => id !== 'dynamic-sql');
  const text = `version: 1\nrules:\n${ids.map((id) => `  ${id}: warn`).join('\n')}\nexemptions:\n  - rules: [${ids.join(', ')}]\n    match: {role: owner}\n    reason: test\n`;
  const r = validatePolicyText(text, 'all.yaml');
  t.ok(r.ok, r.ok ? 'valid' : r.issues.map(formatIssue).join('\n'));
});

t.test('dynamic-sql is governed by unresolvedDynamicSql alone, which can never allow', async (t) => {
  t.same(problems('version: 1\nrules:\n  dynamic-sql: warn\n'), [
    'policies/prod.yaml:3:3: rules.dynamic-sql: dynamic-sql cannot be set here: use unresolvedDynamicSql (hold, or warn) instead',
  ]);
  t.same(problems('version: 1\nexemptions:\n  - rules: [dynamic-sql]\n    match: {role: dba}\n    reason: trusted\n'), [
    'policies/prod.yaml:3:13: exemptions[0].rules[0]: dynamic-sql cannot be set here: use unresolvedDynamicSql (hold, or warn) instead',
  ]);
  t.same(problems('version: 1\nunresolvedDynamicSql: allow\n'), ['policies/prod.yaml:2:23: unresolvedDynamicSql: must be one of hold, warn, got "allow"']);
});

t.test('invalid YAML is reported with its place, and nothing else is judged', async (t) => {
  const out = problems('version: 1\nrules: [drop-table\nmode: observe\n');
  t.equal(out.length, 1);
  t.match(out[0], /^policies\/prod\.yaml:\d+:\d+: \(yaml\): YAML: Flow sequence/);
  t.same(problems('version: 1\nmode: enforce\nmode: observe\n'), ['policies/prod.yaml:3:1: (yaml): YAML: Map keys must be unique']);
  t.same(problems('version: 1\nmode: !custom enforce\n'), ['policies/prod.yaml:2:7: (yaml): YAML: Unresolved tag: !custom']);
  t.same(problems(''), ['policies/prod.yaml:1:1: (policy): is empty: a policy needs at least "version: 1"']);
  t.same(problems('mode: enforce\n'), ['policies/prod.yaml:1:1: version: is required: the policy format version: 1']);
});

t.test('several problems are reported together, in file order', async (t) => {
  const text = [
    'version: 2', // 1
    'mode: enforcing', // 2
    'lockTimeout: 5 seconds', // 3
    'rules:', // 4
    '  drop-colum: hold', // 5
    'scopes:', // 6
    '  - name: prod', // 7
    '    match: {database: prod}', // 8
    '    severity: {block: block}', // 9
    'exemptions:', // 10
    '  - rules: [truncate]', // 11
    '    match: {table: tmp_*}', // 12
  ].join('\n');
  t.same(problems(text), [
    'policies/prod.yaml:1:10: version: must be 1, got 2',
    'policies/prod.yaml:2:7: mode: must be one of enforce, observe, got "enforcing" (did you mean "enforce"?)',
    'policies/prod.yaml:3:14: lockTimeout: must be a duration such as "5s", "500ms", "2min" or "1h" (at most 24h), got "5 seconds"',
    'policies/prod.yaml:5:3: rules.drop-colum: unknown rule id "drop-colum" (did you mean "drop-column"?)',
    'policies/prod.yaml:9:23: scopes[0].severity.block: must be one of hold, warn, allow, got "block"',
    'policies/prod.yaml:11:5: exemptions[0].reason: is required: every exemption needs a reason: why these statements are safe here',
  ]);
});

t.test('semantic limits: lockTimeout at most 24h, a scope must set something', async (t) => {
  t.same(problems('version: 1\nlockTimeout: 25h\n'), ['policies/prod.yaml:2:14: lockTimeout: must be at most 24h, got "25h"']);
  t.same(problems('version: 1\nscopes:\n  - name: nothing\n    match: {role: x}\n'), [
    'policies/prod.yaml:3:5: scopes[0]: sets nothing: give it severity, rules, emptyObjects, unresolvedDynamicSql or remove it',
  ]);
  t.same(problems(`version: 1\nscopes:\n  - match: {table: "${'x'.repeat(201)}"}\n    rules: {truncate: warn}\n`), [
    'policies/prod.yaml:3:20: scopes[0].match.table: must be at most 200 characters long',
  ]);
});

t.test('a policy over 1 MiB is refused before parsing', async (t) => {
  t.same(problems(`version: 1\n#${'x'.repeat(1024 * 1024)}\n`), ['policies/prod.yaml:1:1: (file): is larger than 1048576 bytes']);
});

t.test('parsePolicy throws TW_POLICY_INVALID listing every problem, for an upload by name', async (t) => {
  const err = t.throws(() => parsePolicy('version: 1\nmode: x\nrules: {drop-colum: hold}\n', 'upload:prod')) as PolicyError;
  t.ok(err instanceof PolicyError);
  t.equal(err.code, 'TW_POLICY_INVALID');
  t.equal(err.issues.length, 2);
  t.equal(
    err.message,
    'invalid policy upload:prod:\nupload:prod:2:7: mode: must be one of enforce, observe, got "x"\nupload:prod:3:9: rules.drop-colum: unknown rule id "drop-colum" (did you mean "drop-column"?)',
  );
  t.same(err.issues[0], { file: 'upload:prod', line: 2, column: 7, path: 'mode', message: 'must be one of enforce, observe, got "x"' });
});

t.test('policies/default.yaml and every example are valid', async (t) => {
  const files = ['policies/default.yaml', ...readdirSync(new URL('policies/examples/', root)).map((f) => `policies/examples/${f}`)];
  t.ok(files.length >= 3);
  for (const file of files) {
    const r = validatePolicyText(readFileSync(new URL(file, root), 'utf8'), file);
    t.ok(r.ok, r.ok ? `${file} is valid` : r.issues.map(formatIssue).join('\n'));
  }
});
