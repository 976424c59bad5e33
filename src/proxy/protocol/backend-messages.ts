import type { ErrorFields } from '../interceptor.js';

/** Serialises messages the proxy sends to clients itself. Cold path: clarity over speed. */

function fieldsMessage(type: 'E' | 'N', f: ErrorFields): Buffer {
  const parts: Array<[string, string]> = [
    ['S', f.severity],
    ['V', f.severity],
    ['C', f.code],
    ['M', f.message],
  ];
  if (f.detail) parts.push(['D', f.detail]);
  if (f.hint) parts.push(['H', f.hint]);
  let size = 4 + 1;
  const encoded = parts.map(([k, v]) => [k, Buffer.from(v, 'utf8')] as const);
  for (const [, v] of encoded) size += 1 + v.length + 1;
  const buf = Buffer.allocUnsafe(1 + size);
  buf[0] = type.charCodeAt(0);
  buf.writeInt32BE(size, 1);
  let o = 5;
  for (const [k, v] of encoded) {
    buf[o++] = k.charCodeAt(0);
    v.copy(buf, o);
    o += v.length;
    buf[o++] = 0;
  }
  buf[o] = 0;
  return buf;
}

export function errorResponse(fields: ErrorFields): Buffer {
  return fieldsMessage('E', fields);
}

export function noticeResponse(fields: ErrorFields): Buffer {
  return fieldsMessage('N', fields);
}

/** BackendKeyData carrying tripwire's own key; `secret` keeps the upstream's length (protocol 3.2 allows up to 256). */
export function backendKeyData(pid: number, secret: Buffer): Buffer {
  const buf = Buffer.allocUnsafe(1 + 4 + 4 + secret.length);
  buf[0] = 0x4b;
  buf.writeInt32BE(8 + secret.length, 1);
  buf.writeInt32BE(pid, 5);
  secret.copy(buf, 9);
  return buf;
}

/** The reply to SSLRequest/GSSENCRequest: a single byte, not a message. */
export const REFUSE_ENCRYPTION = Buffer.from('N');
export const ACCEPT_ENCRYPTION = Buffer.from('S');

/** Reads the fields of an ErrorResponse or NoticeResponse (whole message, header included). */
export function parseFields(message: Buffer): Map<string, string> {
  const fields = new Map<string, string>();
  let o = 5;
  while (o < message.length && message[o] !== 0) {
    const key = String.fromCharCode(message[o]!);
    const end = message.indexOf(0, o + 1);
    if (end < 0) break;
    fields.set(key, message.toString('utf8', o + 1, end));
    o = end + 1;
  }
  return fields;
}
