import { CANCEL_REQUEST_CODE, SSL_REQUEST_CODE } from './codes.js';

/** Serialises the few frontend messages the proxy writes itself (to the upstream). */

export function queryMessage(sql: string): Buffer {
  const len = Buffer.byteLength(sql, 'utf8');
  const buf = Buffer.allocUnsafe(1 + 4 + len + 1);
  buf[0] = 0x51;
  buf.writeInt32BE(4 + len + 1, 1);
  buf.write(sql, 5, 'utf8');
  buf[5 + len] = 0;
  return buf;
}

/** Parse with no parameter types. */
export function parseMessage(statementName: string, sql: string): Buffer {
  const nameLen = Buffer.byteLength(statementName, 'utf8');
  const sqlLen = Buffer.byteLength(sql, 'utf8');
  const size = 4 + nameLen + 1 + sqlLen + 1 + 2;
  const buf = Buffer.allocUnsafe(1 + size);
  buf[0] = 0x50;
  buf.writeInt32BE(size, 1);
  let o = 5;
  o += buf.write(statementName, o, 'utf8');
  buf[o++] = 0;
  o += buf.write(sql, o, 'utf8');
  buf[o++] = 0;
  buf.writeInt16BE(0, o);
  return buf;
}

export const TERMINATE = Buffer.from([0x58, 0, 0, 0, 4]);

export function sslRequest(): Buffer {
  const buf = Buffer.allocUnsafe(8);
  buf.writeInt32BE(8, 0);
  buf.writeInt32BE(SSL_REQUEST_CODE, 4);
  return buf;
}

export function cancelRequest(pid: number, secret: Buffer): Buffer {
  const buf = Buffer.allocUnsafe(12 + secret.length);
  buf.writeInt32BE(12 + secret.length, 0);
  buf.writeInt32BE(CANCEL_REQUEST_CODE, 4);
  buf.writeInt32BE(pid, 8);
  secret.copy(buf, 12);
  return buf;
}

/** The name of the statement a Parse message creates ('' is the unnamed statement). */
export function parseStatementName(message: Buffer): string {
  const end = message.indexOf(0, 5);
  return end < 0 ? '' : message.toString('utf8', 5, end);
}
