/** The policy decides on the inspector's real findings: rule ids, severities and object names line up. */
import t from 'tap';
import { inspect, loadInspector } from '../../src/inspector/index.js';
import { decide, parsePolicy } from '../../src/policy/index.js';

t.before(async () => {
  await loadInspector();
});

t.test("a policy's scopes, exemptions and empty objects apply to the inspector's findings", async (t) => {
  const policy = parsePolicy(
    `version: 1
rules: {missing-lock-timeout: allow}
scopes:
  - match: {schema: billing}
    rules: {truncate: warn}
exemptions:
  - rules: [drop-table]
    match: {table: "Tmp_*"}
    reason: scratch tables
`,
    'p.yaml',
  );
  const { findings } = inspect('ALTER TABLE customers DROP COLUMN phone; DROP TABLE "Tmp_X"; TRUNCATE billing.invoices');
  const held = decide(policy, findings, { database: 'prod' });
  t.same(
    held.decisions.map((d) => [d.finding.rule, d.object, d.action]),
    [
      ['drop-column', 'public.customers.phone', 'hold'],
      ['missing-lock-timeout', 'public.customers', 'allow'],
      ['drop-table', 'public."Tmp_X"', 'allow'],
      ['truncate', 'billing.invoices', 'warn'],
    ],
  );
  t.equal(held.action, 'hold');
  const empty = decide(policy, findings, { database: 'prod', emptyObjects: ['public.customers.phone'] });
  t.equal(empty.action, 'warn');
  t.equal(empty.decisions[0]!.action, 'notice');
});
