/** ALTER COLUMN TYPE that is not binary-coercible rewrites the table and its indexes. */
import { displayName, quoteIdent } from '../catalog/names.js';
import { typeChangeRewrites } from '../model/type-change.js';
import { typeDisplay } from '../model/type-names.js';
import { holdsData } from './support.js';
import type { Rule } from './types.js';

export const typeChangeRewrite: Rule = {
  id: 'type-change-rewrite',
  severity: 'warn',
  category: 'downtime',
  summary: 'ALTER COLUMN TYPE that rewrites the table (anything but widening varchar/numeric or varchar → text) under an ACCESS EXCLUSIVE lock.',
  ops: ['alter-column-type'],
  checkChange(c, ctx) {
    if (c.op !== 'alter-column-type' || !holdsData(ctx, c.table) || !typeChangeRewrites(c.from, c.to, c.using, c.column)) return;
    const obj = displayName(c.table.q);
    const change = c.from ? `${typeDisplay(c.from)} → ${typeDisplay(c.to)}` : `→ ${typeDisplay(c.to)}, from a type tripwire does not know`;
    ctx.report({
      objects: [displayName(c.table.q, c.column)],
      action: `ALTER TABLE ${c.table.written} ALTER COLUMN ${quoteIdent(c.column)} TYPE ${typeDisplay(c.to)}`,
      message: `Changing ${displayName(c.table.q, c.column)} (${change}) rewrites all of ${obj} and its indexes under an ACCESS EXCLUSIVE lock, blocking reads and writes`,
      suggestion: 'Add a new column of the new type, backfill it in batches, switch the code over, then drop the old column in a later migration.',
    });
  },
};
