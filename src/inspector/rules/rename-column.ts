/** RENAME COLUMN breaks every running query that still uses the old name. */
import { displayName, quoteIdent } from '../catalog/names.js';
import { holdsData } from './support.js';
import type { Rule } from './types.js';

export const renameColumn: Rule = {
  id: 'rename-column',
  severity: 'warn',
  category: 'downtime',
  summary: 'RENAME COLUMN breaks running code that still uses the old name.',
  ops: ['rename-column'],
  checkChange(c, ctx) {
    if (c.op !== 'rename-column' || !holdsData(ctx, c.table) || ctx.isNew(c.table.q, c.from)) return;
    const obj = displayName(c.table.q, c.from);
    const action = `ALTER TABLE ${c.table.written} RENAME COLUMN ${quoteIdent(c.from)} TO ${quoteIdent(c.to)}`;
    ctx.report({
      objects: [obj, displayName(c.table.q, c.to)],
      action,
      message: `${action} breaks running code that still reads or writes ${obj}`,
      suggestion: `Expand and contract: add ${quoteIdent(c.to)}, write both, backfill, move reads to ${quoteIdent(c.to)}, deploy, then drop ${quoteIdent(c.from)} later. Or rename only once no deployed code uses the old name.`,
    });
  },
};
