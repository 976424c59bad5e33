import t from 'tap';
import { lint, violations } from '../helpers.js';

t.test('allow-unused: a directive that matched nothing', async (t) => {
  t.same(violations('-- tripwire:allow truncate old habit\nDELETE FROM sessions WHERE id IS NULL;', 'allow-unused'), ['allow-unused@1']);
});

t.test('allow-unused: a used directive is not reported, and covers only its statement', async (t) => {
  const findings = lint('-- tripwire:allow drop-table retired\nDROP TABLE audit_log;\nDROP TABLE sessions;');
  t.same(findings.filter((f) => f.rule === 'allow-unused'), []);
  t.same(findings.filter((f) => f.rule === 'drop-table').map((f) => [f.line, f.suppressed, f.suppression?.reason]), [[2, true, 'retired'], [3, false, undefined]]);
});
