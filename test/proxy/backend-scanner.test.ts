import t from 'tap';
import { BackendScanner, type BackendScanHandler } from '../../src/proxy/protocol/backend-scanner.js';
import { backendKeyData, errorResponse } from '../../src/proxy/protocol/backend-messages.js';

function msg(type: string, body: Buffer): Buffer {
  const head = Buffer.alloc(5);
  head[0] = type.charCodeAt(0);
  head.writeInt32BE(4 + body.length, 1);
  return Buffer.concat([head, body]);
}
const ready = (s: string) => msg('Z', Buffer.from(s));
const dataRow = (v: string) => {
  const b = Buffer.alloc(2 + 4 + v.length);
  b.writeInt16BE(1, 0);
  b.writeInt32BE(v.length, 2);
  b.write(v, 6);
  return msg('D', b);
};
const complete = (tag: string) => msg('C', Buffer.from(tag + '\0'));

const serverError = errorResponse({ severity: 'ERROR', code: '42601', message: 'syntax error' });
const stream = Buffer.concat([
  backendKeyData(1234, Buffer.from([1, 2, 3, 4])),
  ready('I'),
  dataRow('x'.repeat(5000)),
  dataRow('short'),
  complete('SELECT 2'),
  ready('T'),
  serverError,
  ready('E'),
]);

function run(parts: Buffer[], setup?: (s: BackendScanner) => void, onCapture?: (type: number, m: Buffer) => Buffer | null) {
  const out: Buffer[] = [];
  const statuses: string[] = [];
  const failures: string[] = [];
  const handler: BackendScanHandler = {
    readyForQuery: (s) => statuses.push(s),
    captured: (type, m) => (onCapture ? onCapture(type, m) : m),
    emit: (b) => out.push(Buffer.from(b)),
    malformed: (d) => failures.push(d),
  };
  const scanner = new BackendScanner(handler, 1 << 20);
  setup?.(scanner);
  for (const p of parts) scanner.scan(p);
  return { out: Buffer.concat(out), statuses, failures, scanner };
}

t.test('relays every byte unchanged and sees each ReadyForQuery, split at every offset', async (t) => {
  for (let cut = 0; cut <= stream.length; cut++) {
    const r = run([stream.subarray(0, cut), stream.subarray(cut)]);
    if (!r.out.equals(stream) || r.statuses.join('') !== 'ITE' || !r.scanner.atBoundary) {
      t.fail(`split at ${cut}: statuses ${r.statuses.join('')}`);
      return;
    }
  }
  t.pass('all splits relay exactly');
});

t.test('captured messages are assembled whole and can be replaced, split at every offset', async (t) => {
  const replacement = errorResponse({ severity: 'ERROR', code: 'TW001', message: 'held' });
  const expected = Buffer.concat([stream.subarray(0, stream.length - serverError.length - 6), replacement, ready('E')]);
  for (let cut = 0; cut <= stream.length; cut++) {
    const r = run(
      [stream.subarray(0, cut), stream.subarray(cut)],
      (s) => (s.captures[0x45] = 1),
      (type, m) => (type === 0x45 ? replacement : m),
    );
    if (!r.out.equals(expected) || r.statuses.join('') !== 'ITE') {
      t.fail(`split at ${cut}`);
      return;
    }
  }
  t.pass('the error is replaced at every split');
});

t.test('a captured message can be dropped', async (t) => {
  const r = run([stream], (s) => (s.captures[0x4b] = 1), (type, m) => (type === 0x4b ? null : m));
  t.ok(r.out.equals(stream.subarray(13)));
});

t.test('a backend length below 4 is reported as malformed, not thrown', async (t) => {
  const r = run([Buffer.from([0x44, 0, 0, 0, 1, 0, 0])]);
  t.equal(r.failures.length, 1);
  t.match(r.failures[0], /length 1/);
});
