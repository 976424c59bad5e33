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
  private readonly stream: WriteStream | NodeJS.WriteStream;

  constructor(path: string, onError: (err: Error) => void) {
    this.stream = path === '-' ? process.stdout : createWriteStream(path, { flags: 'a', mode: 0o600 });
    this.stream.on('error', onError);
  }

  record(entry: AuditRecord): void {
    const statement = entry.statement.length > MAX_STATEMENT_CHARS ? entry.statement.slice(0, MAX_STATEMENT_CHARS) + '…' : entry.statement;
    this.stream.write(JSON.stringify({ time: new Date().toISOString(), ...entry, statement }) + '\n');
  }

  close(): Promise<void> {
    if (this.stream === process.stdout) return Promise.resolve();
    return new Promise((resolve) => (this.stream as WriteStream).end(resolve));
  }
}
