/** UNIQUE or PRIMARY KEY added to an existing table builds its index under an ACCESS EXCLUSIVE lock. */
import { displayName, quoteIdent } from '../catalog/names.js';
import type { ConstraintSpec } from '../model/changes.js';
import { holdsData } from './support.js';
import type { Rule } from './types.js';

function builds(spec: ConstraintSpec): boolean {
  return (spec.entry.kind === 'u' || spec.entry.kind === 'p') && !spec.usingIndex;
}

export const addUniqueConstraint: Rule = {
  id: 'add-unique-constraint',
  severity: 'warn',
  category: 'downtime',
  summary: 'UNIQUE or PRIMARY KEY added to an existing table builds a unique index under an ACCESS EXCLUSIVE lock.',
  ops: ['add-constraint', 'add-column'],
  checkChange(c, ctx) {
    if (c.op !== 'add-constraint' && c.op !== 'add-column') return;
    const spec = c.op === 'add-constraint' ? (builds(c.constraint) ? c.constraint : undefined) : c.column.inlineConstraints.find(builds);
    if (!spec || !holdsData(ctx, c.table)) return;
    const obj = displayName(c.table.q);
    const kind = spec.entry.kind === 'p' ? 'PRIMARY KEY' : 'UNIQUE';
    ctx.report({
      objects: [obj],
      action: `ALTER TABLE ${c.table.written} ADD ${kind}`,
      message: `Adding ${kind} ${spec.name ? `${quoteIdent(spec.name)} ` : ''}on ${obj} builds a unique index under an ACCESS EXCLUSIVE lock, blocking reads and writes until it is built`,
      suggestion: `CREATE UNIQUE INDEX CONCURRENTLY first, then ALTER TABLE ${c.table.written} ADD CONSTRAINT … ${kind} USING INDEX ….`,
    });
  },
};
