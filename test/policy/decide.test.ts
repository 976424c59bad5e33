/** decide(): precedence of exemptions, scopes and the top level; empty objects; observe mode. */
import t from 'tap';
import { readFileSync } from 'node:fs';
import { builtInPolicy, decide, loadPolicy, parsePolicy, type DecisionContext, type PolicyFinding, type Severity } from '../../src/policy/index.js';

const policy = (body: string) => parsePolicy(`version: 1\n${body}`, 'p.yaml');
const finding = (rule: string, severity: Severity, ...objects: string[]): PolicyFinding => ({ rule, severity, objects });
const dropColumn = finding('drop-column', 'block', 'public.customers.phone');
const dropTable = (name: string, ...views: string[]) => finding('drop-table', 'block', name, ...views);
const prod: DecisionContext = { database: 'prod', role: 'app', applicationName: 'psql' };

/** The action and the reason of a single finding. */
function one(p: ReturnType<typeof policy>, f: PolicyFinding, ctx: DecisionContext = prod) {
  const v = decide(p, [f], ctx);
  const d = v.decisions[0]!;
  return { action: d.action, enforced: d.enforced, reason: d.reason, by: d.by, verdict: v.action };
}

t.test('with no policy file: block findings hold, warn findings warn, info passes', async (t) => {
  const p = builtInPolicy();
  t.equal(one(p, dropColumn).action, 'hold');
  t.equal(one(p, dropColumn).reason, 'drop-column on public.customers.phone: hold by severity.block (built-in default)');
  t.equal(one(p, finding('rename-column', 'warn', 'public.t.a')).action, 'warn');
  t.equal(one(p, finding('psql-meta-command', 'info')).action, 'allow');
  t.equal(one(p, finding('dynamic-sql', 'block')).action, 'hold');
  t.same(decide(p, []), { mode: 'enforce', action: 'allow', enforced: 'allow', decisions: [] });
});

t.test('the default policy file decides like the built-in defaults', async (t) => {
  const file = await loadPolicy();
  for (const f of [dropColumn, finding('truncate', 'block', 'public.t'), finding('set-not-null', 'warn', 'public.t.c'), finding('psql-meta-command', 'info')]) {
    t.equal(one(file, f).action, one(builtInPolicy(), f).action, f.rule);
  }
  t.equal(file.mode, 'enforce');
  t.equal(file.lockTimeoutMs, null);
});

t.test('at one level, a rule id beats its severity', async (t) => {
  const p = policy('severity:\n  block: warn\nrules:\n  drop-column: hold\n');
  t.equal(one(p, dropColumn).action, 'hold');
  t.equal(one(p, dropColumn).reason, 'drop-column on public.customers.phone: hold by rules.drop-column (p.yaml:5)');
  t.equal(one(p, dropTable('public.t')).action, 'warn');
  t.equal(one(p, dropTable('public.t')).reason, 'drop-table on public.t: warn by severity.block (p.yaml:3)');
  t.equal(one(policy('rules:\n  rename-column: hold\n'), finding('rename-column', 'warn', 'public.t.a')).action, 'hold', 'a rule can be made stricter');
});

t.test('a matching scope beats the top level, even the top level naming the rule', async (t) => {
  const p = policy(`rules:
  drop-column: warn
scopes:
  - name: prod is strict
    match: {database: prod}
    severity: {block: hold}
`);
  t.equal(one(p, dropColumn).action, 'hold');
  t.equal(one(p, dropColumn).reason, 'drop-column on public.customers.phone: hold by scope "prod is strict" severity.block (p.yaml:7)');
  t.equal(one(p, dropColumn, { database: 'staging' }).action, 'warn', 'elsewhere the top level decides');
  t.equal(one(p, finding('set-not-null', 'warn', 'public.t.c')).action, 'warn', 'a scope that says nothing about a severity passes it down');
});

t.test('the most specific scope wins, whatever its place', async (t) => {
  const p = policy(`scopes:
  - name: billing tables
    match: {database: prod, schema: billing}
    rules: {drop-column: allow}
  - name: prod
    match: {database: prod}
    rules: {drop-column: hold}
  - name: everything
    match: {database: "*"}
    rules: {drop-column: warn}
`);
  t.equal(one(p, finding('drop-column', 'block', 'billing.invoices.memo')).action, 'allow');
  t.equal(one(p, finding('drop-column', 'block', 'billing.invoices.memo')).reason, 'drop-column on billing.invoices.memo: allow by scope "billing tables" rules.drop-column (p.yaml:5)');
  t.equal(one(p, dropColumn).action, 'warn', '"prod" and "everything" both have one key: the later wins');
  t.equal(one(p, finding('drop-column', 'block', 'billing.invoices.memo'), { database: 'staging' }).action, 'warn', 'without prod, billing tables do not match');
});

t.test('among equally specific scopes, the later one wins', async (t) => {
  const scopes = (first: string, second: string) =>
    policy(`scopes:\n  - name: first\n    match: {database: prod}\n    rules: {drop-column: ${first}}\n  - name: second\n    match: {role: app}\n    rules: {drop-column: ${second}}\n`);
  t.equal(one(scopes('hold', 'warn'), dropColumn).action, 'warn');
  t.equal(one(scopes('warn', 'hold'), dropColumn).action, 'hold');
  t.match(one(scopes('warn', 'hold'), dropColumn).reason, /scope "second"/);
  t.equal(one(scopes('hold', 'warn'), dropColumn, { database: 'prod', role: 'other' }).action, 'hold', 'only the matching one counts');
});

t.test("a more specific scope that says nothing about the finding leaves it to the next layer", async (t) => {
  const p = policy(`scopes:
  - name: prod
    match: {database: prod}
    severity: {block: warn}
  - name: prod billing
    match: {database: prod, schema: billing}
    rules: {truncate: hold}
`);
  t.equal(one(p, finding('drop-column', 'block', 'billing.a.b')).action, 'warn');
  t.match(one(p, finding('drop-column', 'block', 'billing.a.b')).reason, /scope "prod" severity\.block/);
  t.equal(one(p, finding('truncate', 'block', 'billing.a')).action, 'hold');
});

t.test('an exemption allows, over any scope, and says why', async (t) => {
  const p = policy(`scopes:
  - name: strict tmp
    match: {database: prod, schema: public, table: tmp_*}
    severity: {block: hold}
exemptions:
  - rules: [drop-table, truncate]
    match: {table: tmp_*}
    reason: scratch tables, rebuilt nightly
`);
  const r = one(p, dropTable('public.tmp_orders'));
  t.equal(r.action, 'allow');
  t.equal(r.reason, 'drop-table on public.tmp_orders: allow by exemption 1 (p.yaml:7): scratch tables, rebuilt nightly');
  t.same(r.by, { kind: 'exemption', index: 0, reason: 'scratch tables, rebuilt nightly', source: { file: 'p.yaml', line: 7 } });
  t.equal(one(p, finding('delete-all-rows', 'block', 'public.tmp_orders')).action, 'hold', 'only for the rules it names');
  t.equal(one(p, dropTable('public.orders')).action, 'hold', 'only where it matches');
});

t.test('every object of a finding must be covered: a CASCADE that drops another object still holds', async (t) => {
  const p = policy('exemptions:\n  - rules: [drop-table]\n    match: {table: tmp_*}\n    reason: scratch\n');
  t.equal(one(p, dropTable('public.tmp_a', 'public.tmp_view')).action, 'allow');
  const r = one(p, dropTable('public.tmp_a', 'public.sales_report'));
  t.equal(r.action, 'hold');
  t.equal(r.reason, 'drop-table on public.sales_report: hold by severity.block (built-in default)');
});

t.test('a scope that tightens one object tightens the finding (the strictest object wins)', async (t) => {
  const p = policy('severity: {block: warn}\nscopes:\n  - match: {schema: billing}\n    severity: {block: hold}\n');
  const f = finding('truncate', 'block', 'public.carts', 'billing.invoices');
  t.equal(one(p, f).action, 'hold');
  t.equal(one(p, f).reason, 'truncate on billing.invoices: hold by scope "scopes[0]" severity.block (p.yaml:5)');
  t.equal(one(p, finding('truncate', 'block', 'public.carts')).action, 'warn');
});

t.test('object keys: schema, table and column patterns; quoted names are matched unquoted', async (t) => {
  const p = policy(`scopes:
  - match: {column: "secret_?"}
    severity: {block: allow}
  - match: {schema: Sales, table: "Big*"}
    severity: {block: warn}
`);
  t.equal(one(p, finding('drop-column', 'block', 'public.users.secret_1')).action, 'allow');
  t.equal(one(p, finding('drop-column', 'block', 'public.users.secret_10')).action, 'hold', '? is one character');
  t.equal(one(p, dropTable('public.secret_1')).action, 'hold', 'a column pattern never matches a table');
  t.equal(one(p, dropTable('"Sales"."BigTable"')).action, 'warn');
  t.equal(one(p, finding('drop-column', 'block', '"Sales"."Big.Table"."a""b"')).action, 'warn', 'dots and quotes inside quotes');
  t.equal(one(p, dropTable('sales.bigtable')).action, 'hold', 'patterns are case-sensitive, like identifiers');
  t.equal(one(p, finding('dynamic-sql', 'block')).action, 'hold', 'object keys never match a finding without objects');
});

t.test('session keys: database, role and application name; lists of patterns; unknown values match nothing', async (t) => {
  const p = policy(`scopes:
  - match: {database: [staging, "staging_*"], role: migrator, applicationName: "node-pg-migrate*"}
    severity: {block: warn}
  - match: {applicationName: "*"}
    rules: {truncate: warn}
`);
  const ctx = { database: 'staging_eu', role: 'migrator', applicationName: 'node-pg-migrate 9' };
  t.equal(one(p, dropColumn, ctx).action, 'warn');
  t.equal(one(p, dropColumn, { ...ctx, database: 'staging' }).action, 'warn');
  t.equal(one(p, dropColumn, { ...ctx, role: 'app' }).action, 'hold', 'every key must match');
  t.equal(one(p, dropColumn, { ...ctx, database: 'prod' }).action, 'hold');
  t.equal(one(p, finding('truncate', 'block', 'public.t'), { applicationName: '' }).action, 'warn', '* matches an empty application_name');
  t.equal(one(p, finding('truncate', 'block', 'public.t'), {}).action, 'hold', 'an unknown application_name matches no pattern');
});

t.test('dynamic-sql follows unresolvedDynamicSql only: never allowed by a severity', async (t) => {
  const p = policy(`severity: {block: allow}
scopes:
  - match: {role: reviewer}
    unresolvedDynamicSql: warn
`);
  const dyn = finding('dynamic-sql', 'block');
  t.equal(one(p, dyn).action, 'hold');
  t.equal(one(p, dyn).reason, 'dynamic-sql: hold by unresolvedDynamicSql (built-in default)');
  t.equal(one(p, dyn, { role: 'reviewer' }).action, 'warn');
  t.equal(one(p, dropColumn).action, 'allow', 'other block rules follow severity.block');
  t.equal(one(policy('unresolvedDynamicSql: warn\n'), dyn).action, 'warn');
});

t.test('a hold of a drop whose data is proven empty becomes a notice', async (t) => {
  const p = builtInPolicy();
  const empty = (...objects: string[]) => ({ ...prod, emptyObjects: objects });
  const r = one(p, dropColumn, empty('public.customers.phone'));
  t.equal(r.action, 'notice');
  t.equal(r.reason, 'drop-column on public.customers.phone: notice by public.customers.phone proven empty, emptyObjects: notice (built-in default)');
  t.equal(one(p, dropColumn, { emptyObjects: new Set(['public.customers']) }).action, 'notice', 'a column of an empty table is empty');
  t.equal(one(p, dropColumn, empty('public.customers.email')).action, 'hold', 'another column proves nothing');
  t.equal(one(p, dropTable('public.t', 'public.v'), empty('public.t')).action, 'notice', 'the views CASCADE drops hold no data');
  const renamed = finding('rename-as-drop', 'block', 'public.customers.phone', 'public.customers.phone_number');
  t.equal(one(p, renamed, empty('public.customers.phone')).action, 'notice', 'rename-as-drop: the dropped column holds the data');
  const truncate = finding('truncate', 'block', 'public.a', 'public.b');
  t.equal(one(p, truncate, empty('public.a')).action, 'hold', 'TRUNCATE … CASCADE: every table must be empty');
  t.equal(one(p, truncate, empty('public.a', 'public.b')).action, 'notice');
  t.equal(one(p, finding('drop-schema', 'block', 'old.a'), empty('old.a')).action, 'hold', 'only rules whose harm is their objects\' data');
  t.equal(one(p, finding('dynamic-sql', 'block'), empty('public.t')).action, 'hold');
});

t.test('emptyObjects: hold keeps holding, also from a scope of any object', async (t) => {
  t.equal(one(policy('emptyObjects: hold\n'), dropColumn, { emptyObjects: ['public.customers.phone'] }).action, 'hold');
  const p = policy('scopes:\n  - match: {schema: billing}\n    emptyObjects: hold\n');
  t.equal(one(p, finding('drop-column', 'block', 'billing.i.c'), { emptyObjects: ['billing.i.c'] }).action, 'hold');
  t.equal(one(p, dropColumn, { emptyObjects: ['public.customers.phone'] }).action, 'notice');
  const cascade = dropTable('public.t', 'billing.v');
  t.equal(one(p, cascade, { emptyObjects: ['public.t'] }).action, 'hold', 'a billing view taken along keeps it held');
});

t.test('emptiness only relaxes holds', async (t) => {
  const p = policy('rules: {drop-column: warn}\n');
  t.equal(one(p, dropColumn, { emptyObjects: ['public.customers.phone'] }).action, 'warn');
  const allowed = policy('rules: {drop-column: allow}\n');
  t.equal(one(allowed, dropColumn, { emptyObjects: ['public.customers.phone'] }).action, 'allow');
});

t.test('the statement takes the strictest finding', async (t) => {
  const p = policy('rules: {truncate: warn}\n');
  const v = decide(p, [finding('psql-meta-command', 'info'), finding('truncate', 'block', 'public.t'), dropColumn], prod);
  t.same(v.decisions.map((d) => d.action), ['allow', 'warn', 'hold']);
  t.equal(v.action, 'hold');
  t.equal(v.enforced, 'hold');
  const w = decide(p, [finding('truncate', 'block', 'public.t'), dropColumn], { emptyObjects: ['public.customers.phone'] });
  t.same([w.action, w.decisions.map((d) => d.action)], ['warn', ['warn', 'notice']]);
  t.equal(v.decisions[1]!.finding, v.decisions[1]!.finding, 'findings are passed through');
});

t.test('observe mode reports the would-be hold and holds nothing', async (t) => {
  const p = policy('mode: observe\nrules: {truncate: warn}\n');
  const v = decide(p, [dropColumn, finding('truncate', 'block', 'public.t')], prod);
  t.equal(v.mode, 'observe');
  t.equal(v.action, 'warn', 'warnings still warn');
  t.equal(v.enforced, 'hold', 'what enforce mode would do');
  t.same(v.decisions.map((d) => [d.action, d.enforced]), [['allow', 'hold'], ['warn', 'warn']]);
  t.equal(v.decisions[0]!.reason, 'drop-column on public.customers.phone: hold by severity.block (built-in default); observe mode: not held');
});

t.test('a finding whose objects cannot be read is judged by unscoped settings only', async (t) => {
  const p = policy('exemptions:\n  - rules: [drop-table]\n    match: {table: "*"}\n    reason: all tables\n');
  t.equal(one(p, dropTable('"unterminated')).action, 'hold');
  t.equal(one(p, dropTable('public.t')).action, 'allow');
});

t.test('decide is pure: the frozen policy is unchanged and equal inputs give equal verdicts', async (t) => {
  const p = policy('scopes:\n  - match: {database: prod}\n    severity: {warn: hold}\n');
  t.ok(Object.isFrozen(p) && Object.isFrozen(p.scopes[0]) && Object.isFrozen(p.scopes[0]!.match.database));
  const before = JSON.stringify(p);
  const a = decide(p, [dropColumn, finding('set-not-null', 'warn', 'public.t.c')], prod);
  const b = decide(p, [dropColumn, finding('set-not-null', 'warn', 'public.t.c')], prod);
  t.same(a, b);
  t.equal(JSON.stringify(p), before);
  t.throws(() => {
    (p.base.severity as Record<string, string>).block = 'allow';
  });
});

t.test('the worked example in docs/policies.md decides as its table says', async (t) => {
  const doc = readFileSync(new URL('../../docs/policies.md', import.meta.url), 'utf8');
  const section = doc.slice(doc.indexOf('### Worked example'));
  const yaml = /```yaml\n([\s\S]*?)```/.exec(section)![1]!;
  const p = parsePolicy(yaml, 'docs/policies.md');
  const cases: [DecisionContext, string, RegExp][] = [
    [{ database: 'staging' }, 'warn', /by rules\.drop-column/],
    [{ database: 'prod', role: 'app' }, 'hold', /scope "prod" severity\.block/],
    [{ database: 'prod', role: 'migrator', applicationName: 'psql' }, 'hold', /scope "prod migrator"/],
    [{ database: 'prod', role: 'app', applicationName: 'psql' }, 'warn', /scope "psql"/],
    [{ database: 'prod', emptyObjects: ['public.customers.phone'] }, 'notice', /proven empty/],
  ];
  for (const [ctx, action, reason] of cases) {
    const r = one(p, dropColumn, ctx);
    t.equal(r.action, action, JSON.stringify(ctx));
    t.match(r.reason, reason);
  }
});
