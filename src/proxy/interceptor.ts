/**
 * The one seam between the wire protocol and everything that judges SQL. The proxy shows each
 * complete frontend message, in order, to the session's interceptor and acts on the verdict.
 * Nothing behind a message overtakes it while its verdict is pending.
 */
import type { NativeFilterHandle } from './native-relay.js';

/** The connection facts a judge may need. Startup parameters are the client's own. */
export interface SessionInfo {
  readonly id: string;
  readonly clientAddress: string;
  readonly parameters: ReadonlyMap<string, string>;
}

/** Fields of an ErrorResponse or NoticeResponse (PostgreSQL's one-letter field codes, spelled out). */
export interface ErrorFields {
  severity: 'ERROR' | 'FATAL' | 'WARNING' | 'NOTICE' | 'INFO';
  code: string;
  message: string;
  detail?: string;
  hint?: string;
}

export type Verdict =
  /**
   * Forward the message unchanged. `internal`: whole simple Query messages the proxy sends first,
   * on the session's connection, whose responses the client never sees (e.g. SET lock_timeout).
   */
  | { readonly action: 'pass'; readonly internal?: Buffer }
  /** Forward these bytes (whole frontend messages) instead. */
  | { readonly action: 'replace'; readonly upstream: Buffer }
  /**
   * Refuse the message (a Query or a Parse) with this error. Nothing of it reaches the server; the
   * session ends up exactly where PostgreSQL leaves it after that statement fails there.
   */
  | { readonly action: 'refuse'; readonly error: ErrorFields }
  /** Forward the message, and tell the client this first (a NoticeResponse). */
  | { readonly action: 'notice'; readonly notice: ErrorFields; readonly internal?: Buffer };

export const PASS: Verdict = Object.freeze({ action: 'pass' });

export interface SessionInterceptor {
  /**
   * Per message type (the type byte): 1 when this interceptor wants to see it. Unwatched messages
   * are forwarded without a call, which keeps the hot path free of per-message work.
   */
  readonly watches: Uint8Array;
  /** `message` is the whole message, header included; a view that is valid only during the call. */
  judge(type: number, message: Buffer): Verdict | Promise<Verdict>;
  /**
   * The server said ReadyForQuery: `I` idle, `T` in a transaction, `E` in a failed transaction.
   * `failed`: an ErrorResponse came back since the previous ReadyForQuery.
   */
  readyForQuery?(status: 'I' | 'T' | 'E', failed: boolean): void;
  /**
   * False when the next readyForQuery call would do nothing, so a relay may skip it (the native
   * relay then stays out of JavaScript). Absent: every ReadyForQuery is reported.
   */
  readyForQueryNeeded?(): boolean;
  /**
   * Startup parameters to send the server instead of the client's (e.g. with a plan token taken
   * out of `options`). Read once, before the upstream connection starts.
   */
  readonly startupParameters?: ReadonlyMap<string, string>;
  /**
   * A native filter (from the native module's createFilter) that proves some watched messages
   * harmless: the native relay then forwards them without calling `judge`, exactly as if it had
   * returned a plain pass. It must never pass a message `judge` would not.
   */
  readonly nativeFilter?: NativeFilterHandle;
  close?(): void;
}

export interface Interceptor {
  openSession(info: SessionInfo): SessionInterceptor;
}

/** Builds a watch table from message type letters. */
export function watchTypes(letters: string): Uint8Array {
  const table = new Uint8Array(256);
  for (const ch of letters) table[ch.charCodeAt(0)] = 1;
  return table;
}

const NOTHING = new Uint8Array(256);

/** The default: a transparent relay that looks at nothing. */
export const passThroughInterceptor: Interceptor = {
  openSession: () => ({ watches: NOTHING, judge: () => PASS }),
};
