/**
 * tripwire itself failed while judging a statement (a bug, or a state that is not what it
 * expects). The statement is held rather than passed unjudged. Reported by the engine.
 */
import type { Rule } from './types.js';

export const inspectorError: Rule = {
  id: 'inspector-error',
  severity: 'block',
  category: 'input',
  summary: 'tripwire failed while judging the statement; it is held rather than passed unjudged.',
};
