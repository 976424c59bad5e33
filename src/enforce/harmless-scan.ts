/**
 * The fast path: a scan that may prove a text harmless without parsing it. It never decides
 * that anything is dangerous; whatever it cannot prove goes to the real parser. Sound by
 * construction: it skips only what cannot be a keyword (string literals, comments, dollar-quoted
 * bodies) and gives up on anything it does not fully understand (backslashes, U& escapes,
 * unterminated quotes, non-ASCII outside literals).
 */

/**
 * Words that start or contain a statement able to change schema, data, or how later names resolve,
 * plus the few built-in functions that can run SQL or destroy data themselves.
 */
const UNPROVABLE = new Set([
  'abort', 'alter', 'begin', 'call', 'checkpoint', 'cluster', 'commit', 'copy', 'create', 'deallocate', 'delete',
  'discard', 'do', 'drop', 'end', 'execute', 'grant', 'import', 'load', 'lock', 'merge', 'prepare', 'reassign',
  'refresh', 'reindex', 'release', 'reset', 'revoke', 'rollback', 'savepoint', 'security', 'set', 'start',
  'truncate', 'update', 'vacuum', 'set_config', 'dblink', 'dblink_exec', 'lo_unlink', 'lo_import',
]);

const enum C {
  Quote = 39, DoubleQuote = 34, Dash = 45, Slash = 47, Star = 42, Dollar = 36, Backslash = 92, Newline = 10,
}

function isWordStart(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95;
}
function isWordPart(c: number): boolean {
  return isWordStart(c) || (c >= 48 && c <= 57) || c === 36;
}

/**
 * True only when `sql` provably holds no statement that can change schema or data, and calls no
 * routine named in `routines` (user functions may hide DELETEs; names lower-case unless quoted).
 */
export function provablyHarmless(sql: string, routines: ReadonlySet<string>): boolean {
  const n = sql.length;
  let i = 0;
  while (i < n) {
    const c = sql.charCodeAt(i);
    if (c === C.Backslash || c > 127) return false;
    if (c === C.Quote) {
      const end = sql.indexOf("'", i + 1);
      if (end < 0) return false;
      // '' inside a literal is an escaped quote: the loop resumes inside the literal, which is fine.
      i = end + 1;
      continue;
    }
    if (c === C.DoubleQuote) {
      const end = sql.indexOf('"', i + 1);
      if (end < 0) return false;
      if (routines.has(sql.slice(i + 1, end))) return false;
      i = end + 1;
      continue;
    }
    if (c === C.Dash && sql.charCodeAt(i + 1) === C.Dash) {
      const end = sql.indexOf('\n', i + 2);
      i = end < 0 ? n : end + 1;
      continue;
    }
    if (c === C.Slash && sql.charCodeAt(i + 1) === C.Star) {
      // Block comments nest in PostgreSQL; a nested opener is not worth understanding here.
      const end = sql.indexOf('*/', i + 2);
      if (end < 0 || sql.lastIndexOf('/*', end) !== i) return false;
      i = end + 2;
      continue;
    }
    if (c === C.Dollar) {
      const next = sql.charCodeAt(i + 1);
      if (next >= 48 && next <= 57) {
        i += 2; // $1: a parameter
        continue;
      }
      const close = sql.indexOf('$', i + 1);
      if (close < 0) return false;
      const tag = sql.slice(i, close + 1);
      if (!/^\$[A-Za-z_]*\$$/.test(tag)) return false;
      const end = sql.indexOf(tag, close + 1);
      if (end < 0) return false;
      i = end + tag.length;
      continue;
    }
    if (isWordStart(c)) {
      let j = i + 1;
      while (j < n && isWordPart(sql.charCodeAt(j))) j++;
      const word = sql.slice(i, j).toLowerCase();
      // U&'…' and U&"…" carry escapes this scan does not decode.
      if ((word === 'u' && sql.charCodeAt(j) === 38) || UNPROVABLE.has(word) || routines.has(word)) return false;
      i = j;
      continue;
    }
    i++;
  }
  return true;
}
