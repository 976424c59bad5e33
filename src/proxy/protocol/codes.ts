/** Startup-phase request codes (the int32 where a protocol version would be). */
export const SSL_REQUEST_CODE = 80877103;
export const GSSENC_REQUEST_CODE = 80877104;
export const CANCEL_REQUEST_CODE = 80877102;

/** Message type bytes, as numbers, for the few the proxy itself must recognise. */
export const MSG = {
  // frontend
  query: 0x51, // 'Q'
  parse: 0x50, // 'P'
  bind: 0x42, // 'B'
  execute: 0x45, // 'E'
  describe: 0x44, // 'D'
  close: 0x43, // 'C'
  sync: 0x53, // 'S'
  flush: 0x48, // 'H'
  terminate: 0x58, // 'X'
  password: 0x70, // 'p'
  // backend
  authentication: 0x52, // 'R'
  backendKeyData: 0x4b, // 'K'
  readyForQuery: 0x5a, // 'Z'
  errorResponse: 0x45, // 'E'
  noticeResponse: 0x4e, // 'N'
  negotiateProtocolVersion: 0x76, // 'v'
} as const;

export type TransactionStatus = 'I' | 'T' | 'E';
