import { createWriteStream, type WriteStream } from 'node:fs';

export type AuditEvent = 'held' | 'allowed-by-token' | 'warned' | 'would-hold' | 'passed-empty';

export interface AuditRecord {
  event: AuditEvent;
  user: string | undefined;
  database: string;
  applicationName: string | undefined;
  client: string;
  statement: string;
  rules: string[];
  /** 1-based indexes, within `statement`, of the statements the decisions are about. */
  statements?: number[];
  objects: string[];
  verdict: string;
  reason: string;
  tokenId: string | null;
}

/** The longest statement text an audit record keeps. */
const MAX_STATEMENT_CHARS = 10_000;

export interface AuditSink {
  record(entry: AuditRecord): void;
  close(): Promise<void>;
}

/** Every hold, every statement a token let through, and every warning, as JSON lines. */
export class JsonLinesAudit implements AuditSink {
  /** Opened on the first record, so a proxy that never holds anything leaves no file behind. */
  private file: WriteStream | null = null;

  constructor(
    private readonly path: string,
    private readonly onError: (err: Error) => void,
  ) {}

  record(entry: AuditRecord): void {
    const statement = entry.statement.length > MAX_STATEMENT_CHARS ? entry.statement.slice(0, MAX_STATEMENT_CHARS) + '…' : entry.statement;
    const line = JSON.stringify({ time: new Date().toISOString(), ...entry, statement }) + '\n';
    if (this.path === '-') {
      process.stdout.write(line);
      return;
    }
    if (!this.file) {
      this.file = createWriteStream(this.path, { flags: 'a', mode: 0o600 });
      this.file.on('error', this.onError);
    }
    this.file.write(line);
  }

  close(): Promise<void> {
    const file = this.file;
    return file ? new Promise((resolve) => file.end(resolve)) : Promise.resolve();
  }
}
