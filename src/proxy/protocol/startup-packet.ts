import { TripwireError } from '../../errors.js';
import { CANCEL_REQUEST_CODE, GSSENC_REQUEST_CODE, SSL_REQUEST_CODE } from './codes.js';

export type StartupRequest =
  | { readonly kind: 'ssl' }
  | { readonly kind: 'gssenc' }
  | { readonly kind: 'cancel'; readonly pid: number; readonly secret: Buffer }
  | {
      readonly kind: 'startup';
      readonly major: number;
      readonly minor: number;
      readonly parameters: Map<string, string>;
      /** The packet exactly as the client sent it. */
      readonly packet: Buffer;
    };

function invalid(detail: string): TripwireError {
  return new TripwireError('TW_STARTUP_PACKET_INVALID', { detail });
}

/** Startup parameters: pairs of NUL-terminated strings ending with an empty name. */
function readParameters(packet: Buffer): Map<string, string> {
  const params = new Map<string, string>();
  let o = 8;
  for (;;) {
    if (o >= packet.length) throw invalid('parameter list is not terminated');
    if (packet[o] === 0) {
      if (o !== packet.length - 1) throw invalid('bytes after the parameter list');
      return params;
    }
    const nameEnd = packet.indexOf(0, o);
    if (nameEnd < 0) throw invalid('parameter name is not terminated');
    const valueEnd = packet.indexOf(0, nameEnd + 1);
    if (valueEnd < 0) throw invalid('parameter value is not terminated');
    params.set(packet.toString('utf8', o, nameEnd), packet.toString('utf8', nameEnd + 1, valueEnd));
    o = valueEnd + 1;
  }
}

/**
 * Reads one untyped startup-phase packet from the front of `buf`.
 * Returns null when more bytes are needed; throws a TripwireError on a malformed packet.
 */
export function readStartupPacket(buf: Buffer, maxBytes: number): { request: StartupRequest; length: number } | null {
  if (buf.length < 4) return null;
  const length = buf.readInt32BE(0);
  if (length < 8 || length > maxBytes) {
    throw invalid(`length ${length} is outside 8..${maxBytes} (maxStartupBytes)`);
  }
  if (buf.length < length) return null;
  const packet = buf.subarray(0, length);
  const code = packet.readInt32BE(4);
  if (code === SSL_REQUEST_CODE || code === GSSENC_REQUEST_CODE) {
    if (length !== 8) throw invalid('SSLRequest/GSSENCRequest must be 8 bytes');
    return { request: { kind: code === SSL_REQUEST_CODE ? 'ssl' : 'gssenc' }, length };
  }
  if (code === CANCEL_REQUEST_CODE) {
    // Protocol 3.2 allows secrets up to 256 bytes; 3.0 uses 4.
    if (length < 16 || length > 12 + 256) throw invalid('CancelRequest has an invalid length');
    return {
      request: { kind: 'cancel', pid: packet.readInt32BE(8), secret: Buffer.from(packet.subarray(12)) },
      length,
    };
  }
  const major = code >>> 16;
  const minor = code & 0xffff;
  if (major !== 3) throw new TripwireError('TW_PROTOCOL_UNSUPPORTED', { major, minor });
  const copy = Buffer.from(packet);
  return { request: { kind: 'startup', major, minor, parameters: readParameters(copy), packet: copy }, length };
}

/** A StartupMessage for the given protocol version and parameters. */
export function startupPacket(major: number, minor: number, parameters: ReadonlyMap<string, string>): Buffer {
  const parts: Buffer[] = [];
  for (const [name, value] of parameters) parts.push(Buffer.from(`${name}\0${value}\0`, 'utf8'));
  parts.push(Buffer.from([0]));
  const body = Buffer.concat(parts);
  const head = Buffer.allocUnsafe(8);
  head.writeInt32BE(8 + body.length, 0);
  head.writeInt32BE((major << 16) | minor, 4);
  return Buffer.concat([head, body]);
}
