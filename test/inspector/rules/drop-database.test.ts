import t from 'tap';
import { only, violations } from '../helpers.js';

t.test('drop-database: always destroys', async (t) => {
  t.same(violations('DROP DATABASE crm;', 'drop-database'), ['drop-database@1 crm']);
  t.same(violations('DROP DATABASE IF EXISTS "Reporting" WITH (FORCE);', 'drop-database'), ['drop-database@1 Reporting']);
  t.match(only('DROP DATABASE crm;', 'drop-database').message, /destroys the database crm/);
});
