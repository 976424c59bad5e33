/** The SQL in a simple Query ('Q') or a Parse ('P') message (whole message, header included). */
export function sqlText(type: number, message: Buffer): string {
  if (type === 0x51) return message.toString('utf8', 5, message.length - 1);
  const nameEnd = message.indexOf(0, 5);
  const end = message.indexOf(0, nameEnd + 1);
  return message.toString('utf8', nameEnd + 1, end < 0 ? message.length : end);
}
