/** ALTER COLUMN TYPE that converts values in a way that throws part of them away. */
import { displayName, quoteIdent } from '../catalog/names.js';
import { lossyTypeChange } from '../model/type-change.js';
import { typeDisplay } from '../model/type-names.js';
import { holdsData } from './support.js';
import type { Rule } from './types.js';

export const lossyTypeChangeRule: Rule = {
  id: 'lossy-type-change',
  severity: 'block',
  category: 'data-loss',
  summary: 'ALTER COLUMN TYPE that loses data: numeric → integer, timestamp → date, text → number USING, a truncation, or a USING that ignores the column.',
  ops: ['alter-column-type'],
  checkChange(c, ctx) {
    if (c.op !== 'alter-column-type' || !holdsData(ctx, c.table) || ctx.isNew(c.table.q, c.column)) return;
    const reason = lossyTypeChange(c.from, c.to, c.using, c.column);
    if (!reason) return;
    const obj = displayName(c.table.q, c.column);
    const action = `ALTER TABLE ${c.table.written} ALTER COLUMN ${quoteIdent(c.column)} TYPE ${typeDisplay(c.to)}`;
    ctx.report({
      objects: [obj],
      action,
      message: `${action} loses data in ${obj}: ${reason}`,
      suggestion: `Add a new column of type ${typeDisplay(c.to)}, fill it from ${quoteIdent(c.column)}, check the values that do not survive the conversion, and keep the old column until you are sure.`,
    });
  },
};
