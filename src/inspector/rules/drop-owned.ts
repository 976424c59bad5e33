/** DROP OWNED BY destroys everything a role owns. */
import { quoteIdent } from '../catalog/names.js';
import { prose } from './support.js';
import type { Rule } from './types.js';

export const dropOwned: Rule = {
  id: 'drop-owned',
  severity: 'block',
  category: 'data-loss',
  summary: 'DROP OWNED BY destroys every table and sequence the role owns in the database.',
  ops: ['drop-owned'],
  checkChange(c, ctx) {
    if (c.op !== 'drop-owned') return;
    const roles = prose(c.roles.map((r) => quoteIdent(r)));
    const action = `DROP OWNED BY ${roles}`;
    ctx.report({
      objects: [],
      action,
      message: `${action} destroys every table, sequence and other object owned by ${roles} in this database, with all their data`,
      suggestion: 'Use REASSIGN OWNED BY … TO … to hand the objects to another role first; then DROP OWNED only removes privileges.',
    });
  },
};
