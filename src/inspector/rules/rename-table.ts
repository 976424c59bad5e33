/** RENAME TO or SET SCHEMA on a table breaks every running query that still uses the old name. */
import { displayName, quoteIdent } from '../catalog/names.js';
import { holdsData } from './support.js';
import type { Rule } from './types.js';

export const renameTable: Rule = {
  id: 'rename-table',
  severity: 'warn',
  category: 'downtime',
  summary: 'Renaming a table (or moving it to another schema) breaks running code that still uses the old name.',
  ops: ['rename-relation', 'set-schema'],
  checkChange(c, ctx) {
    if (c.op === 'rename-relation' && c.kind !== 'table') return;
    if (c.op !== 'rename-relation' && c.op !== 'set-schema') return;
    if (!holdsData(ctx, c.relation)) return;
    const obj = displayName(c.relation.q);
    const to = c.op === 'rename-relation' ? { schema: c.relation.q.schema, name: c.to } : { schema: c.to, name: c.relation.q.name };
    const action = c.op === 'rename-relation' ? `ALTER TABLE ${c.relation.written} RENAME TO ${quoteIdent(c.to)}` : `ALTER TABLE ${c.relation.written} SET SCHEMA ${quoteIdent(c.to)}`;
    ctx.report({
      objects: [obj, displayName(to)],
      action,
      message: `${action} breaks running code that still uses ${obj}`,
      suggestion: `Rename, then create a view under the old name (CREATE VIEW ${c.relation.written} AS SELECT * FROM ${displayName(to)}) until no deployed code uses it.`,
    });
  },
};
