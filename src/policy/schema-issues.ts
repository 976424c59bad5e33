/** ajv's errors, as policy issues a person can act on: place, field, and what is wrong. */
import type { ErrorObject } from './schema.js';
import { fieldPath, pointerSegments, type Locator, type Segment } from './positions.js';
import { describeValue, didYouMean } from './suggest.js';
import type { PolicyIssue } from './types.js';

interface SchemaNode {
  readonly description?: string;
  readonly properties?: Record<string, SchemaNode>;
}

const TYPE_WORDS: Record<string, string> = {
  object: 'a mapping',
  array: 'a list',
  string: 'a string',
  integer: 'a whole number',
  number: 'a number',
  boolean: 'true or false',
  null: 'nothing',
};

function typeWords(type: unknown): string {
  const types = Array.isArray(type) ? type : [type];
  return types.map((t) => TYPE_WORDS[String(t)] ?? String(t)).join(' or ');
}

function parentSchema(e: ErrorObject): SchemaNode {
  return (e.parentSchema ?? {}) as SchemaNode;
}

function count(n: unknown, what: string): string {
  return `${String(n)} ${what}${n === 1 ? '' : 's'}`;
}

/** The message for one error at a value (not a key). */
function valueMessage(e: ErrorObject): string {
  const p = e.params as Record<string, unknown>;
  const got = `, got ${describeValue(e.data)}`;
  switch (e.keyword) {
    case 'type':
      return `must be ${typeWords(p.type)}${got}`;
    case 'enum': {
      const allowed = (p.allowedValues as unknown[]).map(String);
      return `must be one of ${allowed.join(', ')}${got}${typeof e.data === 'string' ? didYouMean(e.data, allowed) : ''}`;
    }
    case 'const':
      return `must be ${JSON.stringify(p.allowedValue)}${got}`;
    case 'pattern':
      if (p.pattern === '\\S') return 'must not be blank';
      return `must be ${parentSchema(e).description ?? `a string matching ${String(p.pattern)}`}${got}`;
    case 'minLength':
      return p.limit === 1 ? 'must not be empty' : `must be at least ${count(p.limit, 'character')} long`;
    case 'maxLength':
      return `must be at most ${count(p.limit, 'character')} long`;
    case 'minItems':
    case 'minProperties':
      return p.limit === 1 ? 'must not be empty' : `must have at least ${String(p.limit)} entries`;
    case 'maxItems':
      return `must have at most ${count(p.limit, 'entry')}`;
    case 'minimum':
    case 'maximum':
      return `must be ${e.keyword === 'minimum' ? 'at least' : 'at most'} ${String(p.limit)}${got}`;
    case 'uniqueItems':
      return `lists ${describeValue(Array.isArray(e.data) ? e.data[Number(p.i)] : undefined)} twice`;
    default:
      return e.message ?? `fails ${e.keyword}`;
  }
}

interface Placed {
  readonly path: readonly Segment[];
  readonly key: boolean;
  readonly message: string;
}

/** Where the error points, and what it says; null for wrappers whose inner error says it better. */
function placeError(e: ErrorObject, data: unknown): Placed | null {
  const at = pointerSegments(e.instancePath, data);
  const p = e.params as Record<string, unknown>;
  if (e.keyword === 'propertyNames') return null;
  if (e.propertyName !== undefined) {
    const what = parentSchema(e).description ?? 'a valid key';
    return { path: [...at, e.propertyName], key: true, message: `${JSON.stringify(e.propertyName)} is not ${what}` };
  }
  if (e.keyword === 'additionalProperties') {
    const name = String(p.additionalProperty);
    const known = Object.keys(parentSchema(e).properties ?? {});
    return { path: [...at, name], key: true, message: `unknown key "${name}"${didYouMean(name, known)}` };
  }
  if (e.keyword === 'required') {
    const name = String(p.missingProperty);
    const description = parentSchema(e).properties?.[name]?.description;
    return { path: [...at, name], key: false, message: `is required${description ? `: ${description}` : ''}` };
  }
  return { path: at, key: false, message: valueMessage(e) };
}

export function schemaIssues(errors: readonly ErrorObject[], data: unknown, loc: Locator, file: string): PolicyIssue[] {
  const out: PolicyIssue[] = [];
  const seen = new Set<string>();
  for (const e of errors) {
    const placed = placeError(e, data);
    if (!placed) continue;
    const path = fieldPath(placed.path);
    if (seen.has(`${path}\0${placed.message}`)) continue;
    seen.add(`${path}\0${placed.message}`);
    // A missing key has no place of its own: point at the mapping that lacks it.
    const where = e.keyword === 'required' ? loc.place(placed.path.slice(0, -1)) : loc.place(placed.path, { key: placed.key });
    out.push({ file, line: where.line, column: where.column, path, message: placed.message });
  }
  return out;
}
