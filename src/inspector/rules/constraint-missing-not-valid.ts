/** A FOREIGN KEY or CHECK added to an existing table without NOT VALID checks every row under a lock. */
import { displayName, quoteIdent } from '../catalog/names.js';
import { holdsData } from './support.js';
import type { Rule } from './types.js';

export const constraintMissingNotValid: Rule = {
  id: 'constraint-missing-not-valid',
  severity: 'warn',
  category: 'downtime',
  summary: 'A FOREIGN KEY or CHECK constraint added without NOT VALID scans the whole table while holding a lock that blocks writes.',
  ops: ['add-constraint'],
  checkChange(c, ctx) {
    if (c.op !== 'add-constraint' || c.constraint.notValid || !holdsData(ctx, c.table)) return;
    const kind = c.constraint.entry.kind;
    if (kind !== 'f' && kind !== 'c') return;
    const obj = displayName(c.table.q);
    const name = quoteIdent(c.constraint.name ?? 'constraint');
    const ref = c.constraint.entry.references ? displayName(c.constraint.entry.references.table) : undefined;
    const message =
      kind === 'f'
        ? `Adding foreign key ${name} on ${obj} without NOT VALID checks every existing row while holding a SHARE ROW EXCLUSIVE lock on ${obj}${ref ? ` and ${ref}` : ''}, blocking writes`
        : `Adding check constraint ${name} on ${obj} without NOT VALID scans every row under an ACCESS EXCLUSIVE lock, blocking reads and writes`;
    ctx.report({
      objects: ref ? [obj, ref] : [obj],
      action: `ALTER TABLE ${c.table.written} ADD CONSTRAINT ${name}`,
      message,
      suggestion: `Add it with NOT VALID (new rows are checked at once), then run ALTER TABLE ${c.table.written} VALIDATE CONSTRAINT ${name} separately: validation takes only a SHARE UPDATE EXCLUSIVE lock.`,
    });
  },
};
