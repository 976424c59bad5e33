/** DROP DATABASE destroys a whole database. */
import { quoteIdent } from '../catalog/names.js';
import type { Rule } from './types.js';

export const dropDatabase: Rule = {
  id: 'drop-database',
  severity: 'block',
  category: 'data-loss',
  summary: 'DROP DATABASE destroys a whole database and every row in it.',
  ops: ['drop-database'],
  checkChange(c, ctx) {
    if (c.op !== 'drop-database') return;
    const action = `DROP DATABASE ${quoteIdent(c.database)}`;
    ctx.report({
      objects: [c.database],
      action,
      message: `${action} destroys the database ${quoteIdent(c.database)} and every table and row in it`,
      suggestion: 'Databases are not dropped from migrations. Take a backup and drop it by hand, deliberately.',
    });
  },
};
