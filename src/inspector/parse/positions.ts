/**
 * The parser reports byte offsets into the UTF-8 encoding of the text; everything tripwire shows
 * is in characters (UTF-16 code units, as editors count), lines and columns, all 1-based except
 * offsets. ASCII text, the common case, maps bytes to characters one to one and builds nothing.
 */

const NON_ASCII = /[^\x00-\x7f]/;

export class TextMap {
  readonly text: string;
  private readonly byteToChar: Uint32Array | null;
  private lineStarts: number[] | null = null;

  constructor(text: string) {
    this.text = text;
    this.byteToChar = NON_ASCII.test(text) ? buildByteMap(text) : null;
  }

  /** The character offset of byte offset `byte` (clamped to the text). */
  charAt(byte: number): number {
    if (byte <= 0) return 0;
    if (!this.byteToChar) return Math.min(byte, this.text.length);
    if (byte >= this.byteToChar.length) return this.text.length;
    return this.byteToChar[byte]!;
  }

  /** 1-based line and column of character offset `offset`. */
  lineCol(offset: number): { line: number; column: number } {
    const starts = this.lines();
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - starts[lo]! + 1 };
  }

  /** Character offset where 1-based `line` starts (the end of the text past the last line). */
  lineStart(line: number): number {
    const starts = this.lines();
    if (line < 1) return 0;
    return line > starts.length ? this.text.length : starts[line - 1]!;
  }

  /** The text of 1-based `line`, without its newline. */
  lineText(line: number): string {
    const start = this.lineStart(line);
    const nl = this.text.indexOf('\n', start);
    return this.text.slice(start, nl === -1 ? this.text.length : nl).replace(/\r$/, '');
  }

  get lineCount(): number {
    return this.lines().length;
  }

  private lines(): number[] {
    if (this.lineStarts) return this.lineStarts;
    const starts = [0];
    let nl = this.text.indexOf('\n');
    while (nl !== -1) {
      starts.push(nl + 1);
      nl = this.text.indexOf('\n', nl + 1);
    }
    this.lineStarts = starts;
    return starts;
  }
}

function buildByteMap(text: string): Uint32Array {
  const map: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const code = text.codePointAt(i)!;
    const bytes = code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
    for (let b = 0; b < bytes; b++) map.push(i);
    if (code >= 0x10000) i++;
  }
  map.push(text.length);
  return Uint32Array.from(map);
}
