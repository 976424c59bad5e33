const QUERY = 0x51;

/**
 * Where the SQL of a simple Query ('Q') or a Parse ('P') message lies, as byte offsets into the
 * whole message (header included): [start, end). Lets the hot path scan the text in place.
 */
export function sqlRange(type: number, message: Buffer): { start: number; end: number } {
  if (type === QUERY) return { start: 5, end: message.length - 1 };
  const nameEnd = message.indexOf(0, 5);
  const end = message.indexOf(0, nameEnd + 1);
  return { start: nameEnd + 1, end: end < 0 ? message.length : end };
}

/** The SQL in a simple Query ('Q') or a Parse ('P') message (whole message, header included). */
export function sqlText(type: number, message: Buffer): string {
  const { start, end } = sqlRange(type, message);
  return message.toString('utf8', start, end);
}
