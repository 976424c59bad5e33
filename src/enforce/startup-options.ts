/**
 * The startup `options` parameter, read the way PostgreSQL reads it (pg_split_opts): words split
 * on unescaped white space, a backslash escapes the next character; `-c name=value` and
 * `--name=value` set a parameter. tripwire takes `tripwire.plan` out before the server sees it.
 */

export function splitOptions(options: string): string[] {
  const words: string[] = [];
  let current = '';
  let inWord = false;
  for (let i = 0; i < options.length; i++) {
    const ch = options[i]!;
    if (ch === '\\' && i + 1 < options.length) {
      current += options[++i];
      inWord = true;
    } else if (/\s/.test(ch)) {
      if (inWord) words.push(current);
      current = '';
      inWord = false;
    } else {
      current += ch;
      inWord = true;
    }
  }
  if (inWord) words.push(current);
  return words;
}

function escapeWord(word: string): string {
  return word.replace(/[\\\s]/g, (c) => `\\${c}`);
}

export interface ExtractedSetting {
  value: string | undefined;
  /** The options string without that setting ('' when nothing is left). */
  rest: string;
}

/** Takes `name` (e.g. `tripwire.plan`) out of an options string, wherever and however it is set. */
export function extractSetting(options: string, name: string): ExtractedSetting {
  const words = splitOptions(options);
  const kept: string[] = [];
  let value: string | undefined;
  const matches = (assignment: string) => {
    const eq = assignment.indexOf('=');
    if (eq < 0 || assignment.slice(0, eq).replace(/-/g, '_').toLowerCase() !== name) return false;
    value = assignment.slice(eq + 1);
    return true;
  };
  for (let i = 0; i < words.length; i++) {
    const word = words[i]!;
    if (word === '-c' && i + 1 < words.length && matches(words[i + 1]!)) {
      i++;
      continue;
    }
    if (word.startsWith('-c') && word.length > 2 && matches(word.slice(2))) continue;
    if (word.startsWith('--') && matches(word.slice(2))) continue;
    kept.push(word);
  }
  return { value, rest: kept.map(escapeWord).join(' ') };
}
