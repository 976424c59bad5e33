/**
 * A lexical pass over SQL text that knows only where strings, quoted identifiers, dollar quotes
 * and comments begin and end. It never decides what SQL means (the parser does); it finds the
 * places the parser cannot help with: top-level semicolons when a script has a syntax error,
 * psql meta-commands, and `-- tripwire:` directives that must not be found inside strings.
 */

export interface LexEvents {
  /** A `;` outside strings, identifiers, dollar quotes and comments. */
  semicolon?(at: number): void;
  /** A backslash outside quotes: psql takes the rest of the line as a meta-command. */
  meta?(start: number, end: number): void;
  /** A `--` comment outside quotes; `end` is the newline (or the end of the text). */
  lineComment?(start: number, end: number): void;
}

const DOLLAR_TAG = /\$(?:[A-Za-z_\u0080-\uffff][A-Za-z0-9_\u0080-\uffff]*)?\$/y;

function isIdentChar(code: number): boolean {
  return (
    (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || code === 95 || code === 36 || code >= 128
  );
}

/** The end (exclusive) of a quoted run that starts at `start` with `quote`; `''` doubles a quote. */
function endOfQuoted(text: string, start: number, quote: string, backslashEscapes: boolean): number {
  let i = start + 1;
  while (i < text.length) {
    const ch = text[i];
    if (backslashEscapes && ch === '\\') {
      i += 2;
      continue;
    }
    if (ch === quote) {
      if (text[i + 1] === quote) {
        i += 2;
        continue;
      }
      return i + 1;
    }
    i++;
  }
  return text.length;
}

function endOfBlockComment(text: string, start: number): number {
  let depth = 0;
  let i = start;
  while (i < text.length) {
    if (text[i] === '/' && text[i + 1] === '*') {
      depth++;
      i += 2;
    } else if (text[i] === '*' && text[i + 1] === '/') {
      depth--;
      i += 2;
      if (depth === 0) return i;
    } else {
      i++;
    }
  }
  return text.length;
}

function endOfLine(text: string, start: number): number {
  const nl = text.indexOf('\n', start);
  return nl === -1 ? text.length : nl;
}

/** An E'…' string: the quote follows a lone `e`/`E` that starts a token. */
function isEscapeString(text: string, quoteAt: number): boolean {
  const prev = text.charCodeAt(quoteAt - 1);
  if (prev !== 69 && prev !== 101) return false;
  return quoteAt < 2 || !isIdentChar(text.charCodeAt(quoteAt - 2));
}

/** Where the lexical element that starts at `i` ends, or -1 when `i` starts plain SQL. */
function skipQuotedOrComment(text: string, i: number, events: LexEvents): number {
  const ch = text[i];
  if (ch === "'") return endOfQuoted(text, i, "'", isEscapeString(text, i));
  if (ch === '"') return endOfQuoted(text, i, '"', false);
  if (ch === '-' && text[i + 1] === '-') {
    const end = endOfLine(text, i);
    events.lineComment?.(i, end);
    return end;
  }
  if (ch === '/' && text[i + 1] === '*') return endOfBlockComment(text, i);
  if (ch === '$' && (i === 0 || !isIdentChar(text.charCodeAt(i - 1)))) {
    DOLLAR_TAG.lastIndex = i;
    const m = DOLLAR_TAG.exec(text);
    if (m) {
      const close = text.indexOf(m[0], i + m[0].length);
      return close === -1 ? text.length : close + m[0].length;
    }
  }
  return -1;
}

/** Walks `text` once, reporting top-level semicolons, meta-commands and line comments. */
export function lex(text: string, events: LexEvents): void {
  let i = 0;
  while (i < text.length) {
    const skipped = skipQuotedOrComment(text, i, events);
    if (skipped !== -1) {
      i = Math.max(skipped, i + 1);
      continue;
    }
    const ch = text[i];
    if (ch === ';') {
      events.semicolon?.(i);
    } else if (ch === '\\') {
      const end = endOfLine(text, i);
      events.meta?.(i, end);
      i = end;
      continue;
    }
    i++;
  }
}

/** The first position at or after `from` that is not whitespace or a comment. */
export function skipTrivia(text: string, from: number, to = text.length): number {
  let i = from;
  while (i < to) {
    const code = text.charCodeAt(i);
    if (code === 32 || (code >= 9 && code <= 13)) {
      i++;
    } else if (text[i] === '-' && text[i + 1] === '-') {
      i = endOfLine(text, i);
    } else if (text[i] === '/' && text[i + 1] === '*') {
      i = endOfBlockComment(text, i);
    } else {
      return i;
    }
  }
  return to;
}

/** The end of `[from, to)` with trailing whitespace removed. */
export function trimEnd(text: string, from: number, to: number): number {
  let end = to;
  while (end > from) {
    const code = text.charCodeAt(end - 1);
    if (code === 32 || (code >= 9 && code <= 13)) end--;
    else break;
  }
  return end;
}

/** The end of the last thing in `[from, to)` that is neither whitespace nor a comment. */
export function contentEnd(text: string, from: number, to: number): number {
  let end = from;
  let i = skipTrivia(text, from, to);
  while (i < to) {
    const skipped = skipQuotedOrComment(text, i, {});
    i = Math.min(to, skipped === -1 ? i + 1 : Math.max(skipped, i + 1));
    end = i;
    i = skipTrivia(text, i, to);
  }
  return end;
}

/** Top-level `;` positions: used to split a script into statements when the parser refuses it whole. */
export function topLevelSemicolons(text: string): number[] {
  const out: number[] = [];
  lex(text, { semicolon: (at) => out.push(at) });
  return out;
}
