import t from 'tap';
import { serialize } from '../harness/frontend.js';
import { readStartupPacket } from '../../src/proxy/protocol/startup-packet.js';
import { thrown } from '../harness/thrown.js';

function packet(version: number, params: Record<string, string>): Buffer {
  const body = Buffer.concat([...Object.entries(params).flatMap(([k, v]) => [Buffer.from(k + '\0'), Buffer.from(v + '\0')]), Buffer.from([0])]);
  const head = Buffer.alloc(8);
  head.writeInt32BE(8 + body.length, 0);
  head.writeInt32BE(version, 4);
  return Buffer.concat([head, body]);
}

t.test('reads a StartupMessage with its parameters, and keeps the exact bytes', async (t) => {
  const bytes = serialize.startup({ user: 'noor', database: 'crm', application_name: 'psql', options: '-c tripwire.plan=abc' });
  const r = readStartupPacket(bytes, 10_000);
  t.ok(r);
  t.equal(r!.request.kind, 'startup');
  if (r!.request.kind !== 'startup') return;
  t.equal(r!.request.major, 3);
  t.equal(r!.request.minor, 0);
  t.equal(r!.request.parameters.get('database'), 'crm');
  t.equal(r!.request.parameters.get('options'), '-c tripwire.plan=abc');
  t.ok(r!.request.packet.equals(bytes));
});

t.test('needs more bytes rather than guessing', async (t) => {
  const bytes = serialize.startup({ user: 'noor' });
  for (let cut = 0; cut < bytes.length; cut++) t.equal(readStartupPacket(bytes.subarray(0, cut), 10_000), null);
});

t.test('newer protocol minors pass through for the server to negotiate', async (t) => {
  const r = readStartupPacket(packet((3 << 16) | 2, { user: 'noor' }), 10_000);
  t.equal(r?.request.kind === 'startup' && r.request.minor, 2);
});

t.test('SSLRequest, GSSENCRequest and CancelRequest (3.0 and 3.2 key lengths)', async (t) => {
  t.equal(readStartupPacket(serialize.requestSsl(), 100)?.request.kind, 'ssl');
  const gss = Buffer.alloc(8);
  gss.writeInt32BE(8, 0);
  gss.writeInt32BE(80877104, 4);
  t.equal(readStartupPacket(gss, 100)?.request.kind, 'gssenc');
  const cancel = serialize.cancel(77, 99);
  const r = readStartupPacket(cancel, 100);
  t.same(r?.request.kind === 'cancel' && [r.request.pid, r.request.secret.readInt32BE(0)], [77, 99]);
  const long = Buffer.alloc(12 + 32, 7);
  long.writeInt32BE(44, 0);
  long.writeInt32BE(80877102, 4);
  long.writeInt32BE(5, 8);
  const r32 = readStartupPacket(long, 100);
  t.equal(r32?.request.kind === 'cancel' && r32.request.secret.length, 32);
});

t.test('malformed and oversized packets are refused with coded errors', async (t) => {
  const tooBig = Buffer.alloc(8);
  tooBig.writeInt32BE(20_000, 0);
  t.equal(thrown(() => readStartupPacket(tooBig, 10_000))?.code, 'TW_STARTUP_PACKET_INVALID');
  const tooSmall = Buffer.from([0, 0, 0, 2]);
  t.equal(thrown(() => readStartupPacket(tooSmall, 10_000))?.code, 'TW_STARTUP_PACKET_INVALID');
  t.equal(thrown(() => readStartupPacket(packet(4 << 16, { user: 'x' }), 10_000))?.code, 'TW_PROTOCOL_UNSUPPORTED');
  const unterminated = packet(3 << 16, { user: 'x' }).subarray(0, -1);
  unterminated.writeInt32BE(unterminated.length, 0);
  t.equal(thrown(() => readStartupPacket(unterminated, 10_000))?.code, 'TW_STARTUP_PACKET_INVALID');
});
