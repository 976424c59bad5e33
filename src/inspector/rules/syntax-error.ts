/** A statement the PostgreSQL parser rejects: nothing in it can be judged. Reported by the engine. */
import type { Rule } from './types.js';

export const syntaxError: Rule = {
  id: 'syntax-error',
  severity: 'block',
  category: 'input',
  summary: 'A statement PostgreSQL cannot parse: nothing in it can be judged, so it is held.',
};
