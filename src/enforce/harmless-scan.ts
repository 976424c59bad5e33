import { sqlRange } from './sql-text.js';

/**
 * The fast path: a scan that may prove a text harmless without parsing it. It never decides
 * that anything is dangerous; whatever it cannot prove goes to the real parser. Sound by
 * construction: it skips only what cannot be a keyword (string literals, comments, dollar-quoted
 * bodies) and gives up on anything it does not fully understand (backslashes anywhere, U& escapes,
 * doubled quotes in identifiers, nested comments, unterminated quotes, non-ASCII outside literals).
 *
 * It runs on every simple Query, so it scans UTF-8 bytes rather than a decoded string: a typed-array
 * loop costs a fraction of `charCodeAt` (which re-checks the string's representation on every
 * call), and a message can be scanned in place without decoding it at all. Any byte ≥ 0x80 belongs
 * to a multi-byte character, so "non-ASCII" means the same thing in bytes as in characters.
 */

/**
 * Words that start or contain a statement able to change schema, data, or how later names resolve,
 * plus the few built-in functions that can run SQL or destroy data themselves. src/native/harmless-scan.c
 * holds the same list (test/enforce/harmless-scan-native.test.ts checks).
 */
export const UNPROVABLE = [
  'abort', 'alter', 'begin', 'call', 'checkpoint', 'cluster', 'commit', 'copy', 'create', 'deallocate', 'delete',
  'discard', 'do', 'drop', 'end', 'execute', 'grant', 'import', 'load', 'lock', 'merge', 'prepare', 'reassign',
  'refresh', 'reindex', 'release', 'reset', 'revoke', 'rollback', 'savepoint', 'security', 'set', 'start',
  'truncate', 'update', 'vacuum', 'set_config', 'dblink', 'dblink_exec', 'lo_unlink', 'lo_import',
];

/** The same words as bytes, grouped by length: each word of a text is compared in place. */
const BY_LENGTH: Uint8Array[][] = [];
for (const w of UNPROVABLE) (BY_LENGTH[w.length] ??= []).push(Buffer.from(w, 'latin1'));

const enum C {
  Quote = 39, DoubleQuote = 34, Dash = 45, Slash = 47, Star = 42, Dollar = 36, Backslash = 92, Newline = 10, Ampersand = 38,
}

function isLetter(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90);
}
function isWordStart(c: number): boolean {
  return isLetter(c) || c === 95;
}
function isWordPart(c: number): boolean {
  return isWordStart(c) || (c >= 48 && c <= 57) || c === C.Dollar;
}

/** Index of `byte` in b[from, to), or -1. */
function find(b: Uint8Array, byte: number, from: number, to: number): number {
  for (let k = from; k < to; k++) if (b[k] === byte) return k;
  return -1;
}

/** True when b[from, to) is one of UNPROVABLE, ignoring ASCII case. */
function isUnprovableWord(b: Uint8Array, from: number, to: number): boolean {
  const candidates = BY_LENGTH[to - from];
  if (candidates === undefined) return false;
  next: for (const word of candidates) {
    for (let k = 0; k < word.length; k++) {
      const c = b[from + k]!;
      if ((c >= 65 && c <= 90 ? c + 32 : c) !== word[k]) continue next;
    }
    return true;
  }
  return false;
}

/** Where the block comment opened at `i` closes (the index of its `*` + `/`), or -1 when it nests or never closes. */
function blockCommentEnd(b: Uint8Array, i: number, n: number): number {
  for (let k = i + 2; k + 1 < n; k++) {
    // Block comments nest in PostgreSQL; a nested opener is not worth understanding here.
    if (b[k] === C.Slash && b[k + 1] === C.Star) return -1;
    if (b[k] === C.Star && b[k + 1] === C.Slash) return k;
  }
  return -1;
}

/** Where the dollar-quoted body opened by a tag at `i` ends (the index after its closing tag), or -1. */
function dollarQuoteEnd(b: Uint8Array, i: number, n: number): number {
  const close = find(b, C.Dollar, i + 1, n);
  if (close < 0) return -1;
  // Tags with digits or other characters are legal but rare: not worth understanding.
  for (let k = i + 1; k < close; k++) if (!isWordStart(b[k]!)) return -1;
  const tagLength = close + 1 - i;
  search: for (let s = close + 1; s + tagLength <= n; s++) {
    for (let k = 0; k < tagLength; k++) if (b[s + k] !== b[i + k]) continue search;
    return s + tagLength;
  }
  return -1;
}

/** The scan itself, over the UTF-8 text in b[from, n). */
function scan(b: Buffer, from: number, n: number, routines: ReadonlySet<string>): boolean {
  let i = from;
  while (i < n) {
    const c = b[i]!;
    if (c === C.Backslash || c > 127) return false;
    if (c === C.Quote) {
      const end = find(b, C.Quote, i + 1, n);
      // A backslash may escape the quote that seems to close the literal (E'\'', or any literal
      // with standard_conforming_strings off), so the literal may go on: give up.
      if (end < 0 || find(b, C.Backslash, i + 1, end) >= 0) return false;
      // '' inside a literal is an escaped quote: the loop resumes inside the literal, which is fine.
      i = end + 1;
      continue;
    }
    if (c === C.DoubleQuote) {
      const end = find(b, C.DoubleQuote, i + 1, n);
      // "" inside a quoted identifier is an escaped quote: the name is not worth reassembling.
      if (end < 0 || (end + 1 < n && b[end + 1] === C.DoubleQuote)) return false;
      if (routines.size > 0 && routines.has(b.toString('utf8', i + 1, end))) return false;
      i = end + 1;
      continue;
    }
    if (c === C.Dash && i + 1 < n && b[i + 1] === C.Dash) {
      const end = find(b, C.Newline, i + 2, n);
      i = end < 0 ? n : end + 1;
      continue;
    }
    if (c === C.Slash && i + 1 < n && b[i + 1] === C.Star) {
      const end = blockCommentEnd(b, i, n);
      if (end < 0) return false;
      i = end + 2;
      continue;
    }
    if (c === C.Dollar) {
      const next = i + 1 < n ? b[i + 1]! : 0;
      if (next >= 48 && next <= 57) {
        i += 2; // $1: a parameter
        continue;
      }
      const end = dollarQuoteEnd(b, i, n);
      if (end < 0) return false;
      i = end;
      continue;
    }
    if (isWordStart(c)) {
      let j = i + 1;
      while (j < n && isWordPart(b[j]!)) j++;
      // U&'…' and U&"…" carry escapes this scan does not decode.
      if (j === i + 1 && (c | 32) === 117 && j < n && b[j] === C.Ampersand) return false;
      if (isUnprovableWord(b, i, j)) return false;
      if (routines.size > 0 && routines.has(b.toString('latin1', i, j).toLowerCase())) return false;
      i = j;
      continue;
    }
    i++;
  }
  return true;
}

/**
 * True only when `sql` provably holds no statement that can change schema or data, and calls no
 * routine named in `routines` (user functions may hide DELETEs; names lower-case unless quoted).
 */
export function provablyHarmless(sql: string, routines: ReadonlySet<string>): boolean {
  const bytes = Buffer.from(sql, 'utf8');
  return scan(bytes, 0, bytes.length, routines);
}

/**
 * The same proof for the SQL of a simple Query ('Q') or Parse ('P') message (whole message,
 * header included), scanned in place: the hot path need not decode a text it can pass.
 */
export function provablyHarmlessMessage(type: number, message: Buffer, routines: ReadonlySet<string>): boolean {
  const { start, end } = sqlRange(type, message);
  return scan(message, start, end, routines);
}
