/**
 * COPY with plain node-postgres, through its Submittable interface (what pg-copy-streams builds on):
 * the CopyData node-postgres receives, and CopyData it sends from a list of chunks.
 */
import { createHash } from 'node:crypto';
import type pg from 'pg';

type CopyConnection = pg.Connection & { sendCopyFromChunk(chunk: Buffer): void; endCopyFrom(): void };

/** One COPY statement as a node-postgres query. */
class Copy implements pg.Submittable {
  readonly result: Promise<{ tag: string; data: Buffer }>;
  private chunks: Buffer[] = [];
  private tag = '';
  private resolve!: (r: { tag: string; data: Buffer }) => void;
  private reject!: (e: Error) => void;

  constructor(
    private readonly text: string,
    private readonly input: Buffer[] = [],
  ) {
    this.result = new Promise((res, rej) => ((this.resolve = res), (this.reject = rej)));
  }
  submit(connection: pg.Connection): void {
    connection.query(this.text);
  }
  handleCopyInResponse(connection: CopyConnection): void {
    for (const chunk of this.input) connection.sendCopyFromChunk(chunk);
    connection.endCopyFrom();
  }
  handleCopyData(msg: { chunk: Buffer }): void {
    this.chunks.push(Buffer.from(msg.chunk)); // the parser reuses its buffer
  }
  handleCommandComplete(msg: { text: string }): void {
    this.tag = msg.text;
  }
  handleReadyForQuery(): void {
    this.resolve({ tag: this.tag, data: Buffer.concat(this.chunks) });
  }
  handleError(err: Error): void {
    this.reject(err);
  }
  handleRowDescription(): void {}
  handleDataRow(): void {}
  handleEmptyQuery(): void {}
  handlePortalSuspended(): void {}
}

/** Runs one COPY; returns its tag and a checksum of the bytes received, or the server's error. */
export async function copy(client: pg.Client, text: string, input: Buffer[] = []) {
  const settled = await Promise.allSettled([client.query(new Copy(text, input)).result]);
  const s = settled[0]!;
  if (s.status === 'fulfilled') return { tag: s.value.tag, bytes: s.value.data.length, md5: md5(s.value.data) };
  const e = s.reason as pg.DatabaseError;
  return { error: { code: e.code, message: e.message, where: e.where } };
}

const md5 = (b: Buffer) => createHash('md5').update(b).digest('hex');

