import type { TransactionStatus } from './codes.js';

export interface BackendScanHandler {
  /**
   * Called for each ReadyForQuery, in stream order, before anything after it is emitted.
   * `failed`: an ErrorResponse went by since the previous one.
   */
  readyForQuery(status: TransactionStatus, failed: boolean): void;
  /**
   * Called with a whole message of a type marked in `captures`; returns what to send instead
   * (the same buffer to keep it, another to replace it, null to drop it).
   */
  captured(type: number, message: Buffer): Buffer | null;
  /** Bytes to relay to the client, in order. Views into received chunks: write them, don't keep them. */
  emit(bytes: Buffer): void;
  /** The server broke framing; the session must end. */
  malformed(detail: string): void;
}

const Z = 0x5a;
const E = 0x45;

/**
 * Walks backend messages as they stream past without copying them: it reads each header, notes
 * ReadyForQuery, and relays the bytes. Only message types marked in `captures` (rare: startup,
 * or an error the proxy must rewrite) are assembled whole.
 */
export class BackendScanner {
  /** Per message type: 1 to assemble it whole and hand it to `captured`. */
  readonly captures = new Uint8Array(256);
  /** Type of the last message that started: tells a server's parting FATAL from a dropped link. */
  lastType = 0;
  /** An ErrorResponse went by since the last ReadyForQuery. */
  private failed = false;

  private skip = 0;
  /** Header bytes of a relayed message that spans chunks; ReadyForQuery needs 6 to see its status. */
  private readonly header = Buffer.alloc(6);
  private headerFilled = 0;
  /** A captured message being assembled. */
  private capture: Buffer | null = null;
  private captureFilled = 0;
  private broken = false;

  constructor(
    private readonly handler: BackendScanHandler,
    private readonly maxCaptureBytes: number,
  ) {}

  /** True between messages: the proxy may slip a message of its own to the client here. */
  get atBoundary(): boolean {
    return this.skip === 0 && this.headerFilled === 0 && this.capture === null && this.captureFilled === 0;
  }

  /**
   * Where the stream stands, for a relay that carries on from here (the native pump): bytes left
   * of the current message, a partial header, the last type, and whether an error went by.
   * Null while a captured message is being assembled: only this scanner can finish it.
   */
  position(): { skip: number; header: Buffer; headerFilled: number; lastType: number; failed: boolean } | null {
    if (this.capture !== null || this.captureFilled > 0 || this.broken) return null;
    return { skip: this.skip, header: this.header, headerFilled: this.headerFilled, lastType: this.lastType, failed: this.failed };
  }

  /** Carries on from where another relay left the stream (the inverse of `position`). */
  resumeAt(skip: number, header: Buffer, headerFilled: number, lastType: number, failed: boolean): void {
    this.skip = skip;
    header.copy(this.header, 0, 0, headerFilled);
    this.headerFilled = headerFilled;
    this.lastType = lastType;
    this.failed = failed;
  }

  scan(chunk: Buffer): void {
    if (this.broken) return;
    const n = chunk.length;
    let i = 0;
    let out = 0;
    while (i < n && !this.broken) {
      if (this.skip > 0) {
        const k = Math.min(this.skip, n - i);
        i += k;
        this.skip -= k;
        continue;
      }
      if (this.capture !== null || this.captureFilled > 0) {
        if (i > out) this.handler.emit(chunk.subarray(out, i));
        i = this.continueCapture(chunk, i);
        out = i;
        continue;
      }
      if (this.headerFilled > 0) {
        i = this.continueHeader(chunk, i);
        continue;
      }
      const type = chunk[i]!;
      this.lastType = type;
      if (type === E) this.failed = true;
      if (this.captures[type] === 1) {
        if (i > out) this.handler.emit(chunk.subarray(out, i));
        i = this.continueCapture(chunk, i);
        out = i;
        continue;
      }
      const need = type === Z ? 6 : 5;
      if (n - i < need) {
        chunk.copy(this.header, 0, i, n);
        this.headerFilled = n - i;
        i = n;
        continue;
      }
      const length = chunk.readInt32BE(i + 1);
      if (length < 4) return this.fail(`message "${String.fromCharCode(type)}" has length ${length}`);
      if (type === Z) this.ready(chunk[i + 5]!);
      const end = i + 1 + length;
      if (end > n) {
        this.skip = end - n;
        i = n;
      } else {
        i = end;
      }
    }
    if (i > out && !this.broken) this.handler.emit(out === 0 ? chunk : chunk.subarray(out, i));
  }

  /** Completes the header of a relayed message that started in an earlier chunk. */
  private continueHeader(chunk: Buffer, i: number): number {
    this.lastType = this.header[0]!;
    if (this.lastType === E) this.failed = true;
    const need = this.header[0] === Z ? 6 : 5;
    const take = Math.min(need - this.headerFilled, chunk.length - i);
    chunk.copy(this.header, this.headerFilled, i, i + take);
    this.headerFilled += take;
    if (this.headerFilled < need) return i + take;
    const length = this.header.readInt32BE(1);
    if (length < 4) {
      this.fail(`message "${String.fromCharCode(this.header[0]!)}" has length ${length}`);
      return chunk.length;
    }
    if (this.header[0] === Z) this.ready(this.header[5]!);
    this.skip = 1 + length - need;
    this.headerFilled = 0;
    return i + take;
  }

  /** Assembles a captured message; returns the index after the bytes consumed. */
  private continueCapture(chunk: Buffer, i: number): number {
    if (this.capture === null) {
      const take = Math.min(5 - this.captureFilled, chunk.length - i);
      chunk.copy(this.header, this.captureFilled, i, i + take);
      this.captureFilled += take;
      i += take;
      if (this.captureFilled < 5) return i;
      const length = this.header.readInt32BE(1);
      if (length < 4 || length > this.maxCaptureBytes) {
        this.fail(`message "${String.fromCharCode(this.header[0]!)}" has length ${length}`);
        return chunk.length;
      }
      this.capture = Buffer.allocUnsafe(1 + length);
      this.header.copy(this.capture, 0, 0, 5);
    }
    const take = Math.min(this.capture.length - this.captureFilled, chunk.length - i);
    chunk.copy(this.capture, this.captureFilled, i, i + take);
    this.captureFilled += take;
    i += take;
    if (this.captureFilled === this.capture.length) {
      const message = this.capture;
      this.capture = null;
      this.captureFilled = 0;
      const type = message[0]!;
      if (type === Z) this.ready(message[5]!);
      const replacement = this.handler.captured(type, message);
      if (replacement) this.handler.emit(replacement);
    }
    return i;
  }

  private ready(status: number): void {
    const failed = this.failed;
    this.failed = false;
    this.handler.readyForQuery(String.fromCharCode(status) as TransactionStatus, failed);
  }

  private fail(detail: string): void {
    this.broken = true;
    this.handler.malformed(detail);
  }
}
