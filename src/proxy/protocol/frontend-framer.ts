import { TripwireError } from '../../errors.js';

const QUERY = 0x51;
const SYNC = 0x53;

export enum Frame {
  /** Nothing complete yet: feed more bytes. */
  None = 0,
  /** `view` holds one or more whole messages nobody watches: forward them as they are. */
  Run = 1,
  /** `view` holds exactly one whole message of a watched type (`type`). */
  Watched = 2,
}

/**
 * Frames frontend messages (type byte + int32 length) over a stream of chunks.
 * It hands out views into the received chunks and copies only a message that spans chunks,
 * into one buffer sized from its header. It never yields part of a message.
 */
export class FrontendFramer {
  view: Buffer = Buffer.alloc(0);
  type = 0;
  /** Query and Sync messages in the last Run: each gets exactly one ReadyForQuery back. */
  runSyncs = 0;

  private readonly chunks: Buffer[] = [];
  private offset = 0;
  private queuedBytes = 0;
  /** A message that spans chunks: its header bytes so far, then the whole message. */
  private readonly header = Buffer.alloc(5);
  private headerFilled = 0;
  private spanning: Buffer | null = null;
  private spanningFilled = 0;

  constructor(
    private readonly watches: Uint8Array,
    private readonly maxMessageBytes: number,
  ) {}

  push(chunk: Buffer): void {
    if (chunk.length === 0) return;
    this.chunks.push(chunk);
    this.queuedBytes += chunk.length;
  }

  /** Bytes received but not yet handed out (for limits and diagnostics). */
  get pendingBytes(): number {
    return this.queuedBytes - this.offset + this.headerFilled + this.spanningFilled;
  }

  /** True when no message has been started but not finished. */
  get atBoundary(): boolean {
    return this.headerFilled === 0 && this.spanning === null && this.pendingBytes === 0;
  }

  next(): Frame {
    if (this.headerFilled > 0 || this.spanning) return this.continueSpanning();
    const chunk = this.chunks[0];
    if (!chunk) return Frame.None;
    const start = this.offset;
    let o = start;
    let syncs = 0;
    while (o + 5 <= chunk.length) {
      const type = chunk[o]!;
      const end = o + 1 + this.checkedLength(type, chunk.readInt32BE(o + 1));
      if (end > chunk.length) break;
      if (this.watches[type] === 1) {
        if (o > start) return this.yieldRun(chunk, start, o, syncs);
        this.type = type;
        return this.yieldFrom(chunk, o, end, Frame.Watched);
      }
      if (type === QUERY || type === SYNC) syncs++;
      o = end;
    }
    if (o > start) return this.yieldRun(chunk, start, o, syncs);
    this.beginSpanning(chunk, o);
    return this.continueSpanning();
  }

  private checkedLength(type: number, length: number): number {
    if (length < 4) {
      throw new TripwireError('TW_MESSAGE_LENGTH_INVALID', { length, type: String.fromCharCode(type) });
    }
    if (length > this.maxMessageBytes) {
      throw new TripwireError('TW_MESSAGE_TOO_LARGE', {
        length,
        limit: this.maxMessageBytes,
        type: String.fromCharCode(type),
      });
    }
    return length;
  }

  private yieldRun(chunk: Buffer, start: number, end: number, syncs: number): Frame {
    this.runSyncs = syncs;
    return this.yieldFrom(chunk, start, end, Frame.Run);
  }

  private yieldFrom(chunk: Buffer, start: number, end: number, kind: Frame): Frame {
    this.view = start === 0 && end === chunk.length ? chunk : chunk.subarray(start, end);
    this.advance(chunk, end);
    return kind;
  }

  private advance(chunk: Buffer, end: number): void {
    if (end === chunk.length) {
      this.chunks.shift();
      this.queuedBytes -= chunk.length;
      this.offset = 0;
    } else {
      this.offset = end;
    }
  }

  /** The rest of the current chunk starts a message that it does not finish. */
  private beginSpanning(chunk: Buffer, from: number): void {
    const tail = chunk.length - from;
    chunk.copy(this.header, 0, from, from + Math.min(tail, 5));
    this.headerFilled = Math.min(tail, 5);
    if (this.headerFilled === 5) {
      const total = 1 + this.checkedLength(chunk[from]!, chunk.readInt32BE(from + 1));
      this.spanning = Buffer.allocUnsafe(total);
      chunk.copy(this.spanning, 0, from);
      this.spanningFilled = tail;
      this.headerFilled = 0;
    }
    this.advance(chunk, chunk.length);
  }

  private continueSpanning(): Frame {
    for (;;) {
      if (this.spanning && this.spanningFilled === this.spanning.length) return this.yieldSpanning();
      const chunk = this.chunks[0];
      if (!chunk) return Frame.None;
      if (!this.spanning) {
        const take = Math.min(5 - this.headerFilled, chunk.length - this.offset);
        chunk.copy(this.header, this.headerFilled, this.offset, this.offset + take);
        this.headerFilled += take;
        this.advance(chunk, this.offset + take);
        if (this.headerFilled < 5) continue;
        const total = 1 + this.checkedLength(this.header[0]!, this.header.readInt32BE(1));
        this.spanning = Buffer.allocUnsafe(total);
        this.header.copy(this.spanning, 0, 0, 5);
        this.spanningFilled = 5;
        this.headerFilled = 0;
        continue;
      }
      const take = Math.min(this.spanning.length - this.spanningFilled, chunk.length - this.offset);
      chunk.copy(this.spanning, this.spanningFilled, this.offset, this.offset + take);
      this.spanningFilled += take;
      this.advance(chunk, this.offset + take);
    }
  }

  private yieldSpanning(): Frame {
    const whole = this.spanning!;
    this.spanning = null;
    this.spanningFilled = 0;
    this.view = whole;
    this.type = whole[0]!;
    this.runSyncs = this.type === QUERY || this.type === SYNC ? 1 : 0;
    return this.watches[this.type] === 1 ? Frame.Watched : Frame.Run;
  }
}
