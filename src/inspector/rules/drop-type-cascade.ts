/** DROP TYPE … CASCADE drops every column of that type, and their values with them. */
import { columnsOfType } from '../catalog/dependents.js';
import { displayName } from '../catalog/names.js';
import { prose } from './support.js';
import type { Rule } from './types.js';

export const dropTypeCascade: Rule = {
  id: 'drop-type-cascade',
  severity: 'block',
  category: 'data-loss',
  summary: 'DROP TYPE … CASCADE drops every column that uses the type, destroying their values.',
  ops: ['drop-type'],
  checkChange(c, ctx) {
    // Without CASCADE, PostgreSQL refuses to drop a type that columns use.
    if (c.op !== 'drop-type' || !c.cascade || c.type.exists === 'no') return;
    const columns = columnsOfType(ctx.catalog, c.type.q)
      .filter((col) => !ctx.isNew(col.table) && !ctx.isNew(col.table, col.column))
      .map((col) => displayName(col.table, col.column));
    const known = c.type.exists === 'yes';
    if (known && columns.length === 0) return;
    const action = `DROP TYPE ${c.type.written} CASCADE`;
    ctx.report({
      objects: columns,
      action,
      message: known
        ? `${action} drops every column of type ${displayName(c.type.q)}, destroying their values: ${prose(columns)}`
        : `${action} drops every column of type ${displayName(c.type.q)}, destroying their values`,
      suggestion: 'Change those columns to another type first (ALTER COLUMN … TYPE … USING …), then drop the type without CASCADE.',
    });
  },
};
