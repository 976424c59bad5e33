/** Helpers the rules share: does a target hold data that exists, and how to list names in prose. */
import type { Target } from '../model/changes.js';
import type { RuleContext } from './types.js';

/** The relation exists (or may, with a partial catalog) and was not created by this migration. */
export function holdsData(ctx: RuleContext, t: Target): boolean {
  return t.exists !== 'no' && !ctx.isNew(t.q);
}

/** `a`, `a and b`, `a, b and c`. */
export function prose(items: readonly string[]): string {
  if (items.length <= 1) return items[0] ?? '';
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}
