/**
 * SQL tripwire cannot see: an EXECUTE of a string that does not fold to a constant, a DO block or
 * routine in a language tripwire cannot read. Reported by the hidden-SQL module (engine/hidden.ts).
 */
import type { Rule } from './types.js';

export const dynamicSql: Rule = {
  id: 'dynamic-sql',
  severity: 'block',
  category: 'hidden-sql',
  summary: 'EXECUTE of a string that cannot be resolved, or a body in a language tripwire cannot read: it cannot see what this runs.',
};
