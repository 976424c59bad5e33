import t from 'tap';
import { only, violations } from '../helpers.js';

t.test('drop-owned: names the roles', async (t) => {
  t.same(violations('DROP OWNED BY app_user, "Reporting";', 'drop-owned'), ['drop-owned@1']);
  t.match(only('DROP OWNED BY app_user, "Reporting";', 'drop-owned').message, /^DROP OWNED BY app_user and "Reporting" destroys every table/);
});
