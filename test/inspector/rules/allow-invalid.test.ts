import t from 'tap';
import { lint, violations } from '../helpers.js';

t.test('allow-invalid: unknown rule, missing reason, unknown directive', async (t) => {
  t.same(violations('-- tripwire:allow no-such-rule because\nSELECT 1;', 'allow-invalid'), ['allow-invalid@1']);
  t.same(violations('SELECT 1;\n-- tripwire:allow drop-table\nDROP TABLE audit_log;', 'allow-invalid'), ['allow-invalid@2']);
  t.same(violations('-- tripwire:ignore drop-table x\nSELECT 1;', 'allow-invalid'), ['allow-invalid@1']);
  t.same(violations('-- tripwire:allow allow-unused sure\nSELECT 1;', 'allow-invalid'), ['allow-invalid@1']);
});

t.test('allow-invalid: an invalid directive suppresses nothing', async (t) => {
  const findings = lint('-- tripwire:allow drop-table\nDROP TABLE audit_log;');
  t.same(findings.filter((f) => f.suppressed), []);
});
