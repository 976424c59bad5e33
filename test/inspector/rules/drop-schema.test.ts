import t from 'tap';
import { ok, violations } from '../helpers.js';
import { emptyCatalog } from '../../../src/inspector/index.js';

t.test('drop-schema: CASCADE destroys every table in it', async (t) => {
  t.same(violations('DROP SCHEMA billing CASCADE;', 'drop-schema'), ['drop-schema@1 billing.invoices billing.payments']);
});

t.test('drop-schema: RESTRICT on a non-empty schema is refused by PostgreSQL, an empty one holds nothing', async (t) => {
  ok(t, 'DROP SCHEMA billing;', 'drop-schema');
  ok(t, 'CREATE SCHEMA scratch; DROP SCHEMA scratch CASCADE;', 'drop-schema');
  ok(t, 'DROP SCHEMA IF EXISTS nowhere CASCADE;', 'drop-schema');
});

t.test('drop-schema: without a schema file, CASCADE of an unknown schema is assumed to hold tables', async (t) => {
  t.same(violations('DROP SCHEMA analytics CASCADE;', 'drop-schema', emptyCatalog()), ['drop-schema@1']);
});
