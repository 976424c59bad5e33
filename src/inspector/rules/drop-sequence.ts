/** DROP SEQUENCE destroys a sequence and where it had counted to. */
import { displayName } from '../catalog/names.js';
import { holdsData } from './support.js';
import type { Rule } from './types.js';

export const dropSequence: Rule = {
  id: 'drop-sequence',
  severity: 'block',
  category: 'data-loss',
  summary: 'DROP SEQUENCE destroys a sequence and its current value.',
  ops: ['drop-sequence'],
  checkChange(c, ctx) {
    if (c.op !== 'drop-sequence' || !holdsData(ctx, c.sequence)) return;
    const obj = displayName(c.sequence.q);
    const action = `DROP SEQUENCE ${c.sequence.written}`;
    ctx.report({
      objects: [obj],
      action,
      message: `${action} destroys ${obj} and its current value: if it is ever recreated, numbering starts over and collides with ids already handed out`,
      suggestion: 'Keep the sequence until no column default or code uses it; note its value (SELECT last_value) before dropping it in a later migration.',
    });
  },
};
