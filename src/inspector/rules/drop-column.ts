/** DROP COLUMN destroys every value in the column. */
import { displayName, quoteIdent } from '../catalog/names.js';
import { holdsData } from './support.js';
import type { Rule } from './types.js';

export const dropColumn: Rule = {
  id: 'drop-column',
  severity: 'block',
  category: 'data-loss',
  summary: 'DROP COLUMN destroys every value in a column that exists and was not added by this migration.',
  ops: ['drop-column'],
  checkChange(c, ctx) {
    if (c.op !== 'drop-column' || c.exists === 'no' || !holdsData(ctx, c.table) || ctx.isNew(c.table.q, c.column)) return;
    const obj = displayName(c.table.q, c.column);
    const action = `ALTER TABLE ${c.table.written} DROP COLUMN ${quoteIdent(c.column)}`;
    ctx.report({
      objects: [obj],
      action,
      message: `${action} destroys every value in ${obj}`,
      suggestion: `To rename it, use ALTER TABLE ${c.table.written} RENAME COLUMN ${quoteIdent(c.column)} TO …. To retire it, stop all code from reading and writing it, deploy, back the values up, and drop it in a later migration.`,
    });
  },
};
