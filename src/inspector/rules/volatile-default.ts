/** ADD COLUMN whose value differs per row (volatile default, identity, serial, stored generated) rewrites the table. */
import { displayName, quoteIdent } from '../catalog/names.js';
import { holdsData } from './support.js';
import type { Rule } from './types.js';

export const volatileDefault: Rule = {
  id: 'volatile-default',
  severity: 'warn',
  category: 'downtime',
  summary: 'ADD COLUMN with a volatile default (or identity, serial, stored generated) rewrites the whole table under an ACCESS EXCLUSIVE lock.',
  ops: ['add-column'],
  checkChange(c, ctx) {
    if (c.op !== 'add-column' || !c.column.rewriteReason || !holdsData(ctx, c.table)) return;
    const obj = displayName(c.table.q);
    ctx.report({
      objects: [displayName(c.table.q, c.column.name)],
      action: `ALTER TABLE ${c.table.written} ADD COLUMN ${quoteIdent(c.column.name)}`,
      message: `ADD COLUMN ${quoteIdent(c.column.name)} rewrites all of ${obj} under an ACCESS EXCLUSIVE lock: ${c.column.rewriteReason}`,
      suggestion: 'Add the column without a default (or with a constant one), backfill it in batches, then set the default for new rows.',
    });
  },
};
