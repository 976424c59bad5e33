/**
 * The native pump on its own, between real loopback sockets: framing across arbitrary read
 * boundaries, watched messages shown once and handed back exactly at the message, backend headers
 * walked across reads, backpressure, and the end of a stream. The session-level behaviour (holds,
 * handoffs, clients) is covered through the proxy in native-relay.test.ts and the client tests.
 */
import t from 'tap';
import net from 'node:net';
import { once } from 'node:events';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { loadNativeRelay, NativePump, PUMP_HANDOFF, PUMP_PASS, PumpStop, Slot, type NativeRelayModule, type PumpOwner } from '../../src/proxy/native-relay.js';

const load = loadNativeRelay();
if (!load.ok && process.env.TRIPWIRE_RELAY !== 'js') {
  // The build compiles it (npm run build); CI must not silently test only the JavaScript relay.
  t.fail(`the native relay did not load: ${load.reason}`);
}
const native: NativeRelayModule | null = load.ok ? load.module : null;

interface Teardown {
  teardown(fn: () => unknown): void;
}

interface Pair {
  outer: net.Socket;
  inner: net.Socket;
}

async function pair(t: Teardown): Promise<Pair> {
  const server = net.createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const accepted = once(server, 'connection');
  const outer = net.connect((server.address() as net.AddressInfo).port, '127.0.0.1');
  await once(outer, 'connect');
  const [inner] = (await accepted) as [net.Socket];
  server.close();
  t.teardown(() => {
    outer.destroy();
    inner.destroy();
  });
  return { outer, inner };
}

/** A client pair and an upstream pair; the pump owns the two inner ends. */
async function rig(t: Teardown) {
  const client = await pair(t);
  const upstream = await pair(t);
  for (const s of [client.inner, upstream.outer]) {
    // As the session does: Node must not read a descriptor the pump owns.
    s.pause();
    const h = (s as unknown as { _handle: { readStop(): number; reading: boolean } })._handle;
    h.readStop();
    h.reading = true;
  }
  const fd = (s: net.Socket) => (s as unknown as { _handle: { fd: number } })._handle.fd;
  return { client: client.outer, server: upstream.inner, clientEnd: client.inner, upstreamEnd: upstream.outer, clientFd: fd(client.inner), upstreamFd: fd(upstream.outer) };
}

function message(type: string, body: Buffer): Buffer {
  const m = Buffer.alloc(5 + body.length);
  m[0] = type.charCodeAt(0);
  m.writeInt32BE(4 + body.length, 1);
  body.copy(m, 5);
  return m;
}

/** Writes `bytes` in chunks of random sizes, so messages split anywhere. */
async function writeChunked(socket: net.Socket, bytes: Buffer, seed: number): Promise<void> {
  let state = seed;
  const random = () => ((state = (state * 1103515245 + 12345) & 0x7fffffff) % 9000) + 1;
  for (let o = 0; o < bytes.length; ) {
    const n = Math.min(bytes.length - o, random());
    if (!socket.write(bytes.subarray(o, o + n))) await once(socket, 'drain');
    o += n;
  }
}

async function collect(socket: net.Socket, bytes: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let got = 0;
  for await (const chunk of socket) {
    chunks.push(chunk as Buffer);
    got += (chunk as Buffer).length;
    if (got >= bytes) break;
  }
  return Buffer.concat(chunks);
}

class Owner implements PumpOwner {
  watched: Buffer[] = [];
  readies: [string, boolean][] = [];
  stops: { reason: PumpStop; rest: Buffer | null; toUpstream: Buffer | null; toClient: Buffer | null }[] = [];
  constructor(private readonly verdict: (m: Buffer) => number = () => PUMP_PASS) {}
  pumpMessage(_type: number, m: Buffer): number {
    this.watched.push(Buffer.from(m));
    return this.verdict(m);
  }
  pumpReady(status: number, failed: boolean): boolean {
    this.readies.push([String.fromCharCode(status), failed]);
    return true;
  }
  pumpStopped(reason: PumpStop, rest: Buffer | null, toUpstream: Buffer | null, toClient: Buffer | null): void {
    this.stops.push({ reason, rest, toUpstream, toClient });
  }
}

const watchQ = new Uint8Array(256);
watchQ['Q'.charCodeAt(0)] = 1;

t.test('frontend messages split at random arrive whole and in order; watched ones are shown once', { skip: !native }, async (t) => {
  const { client, server, clientFd, upstreamFd } = await rig(t);
  const owner = new Owner();
  const pump = new NativePump(native!, owner, watchQ, 1 << 20);
  pump.start(clientFd, upstreamFd);
  const messages: Buffer[] = [];
  for (let i = 0; i < 20_000; i++) {
    const body = Buffer.alloc(1 + ((i * 7919) % 700), i % 251);
    messages.push(message(i % 10 === 0 ? 'Q' : 'd', i % 10 === 0 ? Buffer.from(`SELECT ${i}\0`) : body));
  }
  messages.push(message('d', Buffer.alloc(60_000, 7))); // near the input buffer's size
  const stream = Buffer.concat(messages);
  const received = collect(server, stream.length);
  await writeChunked(client, stream, 42);
  t.ok((await received).equals(stream), `${stream.length} bytes forwarded unchanged`);
  t.equal(owner.watched.length, 2000, 'each Query shown once');
  t.ok(owner.watched.every((m, k) => m.equals(messages[k * 10]!)), 'the Query messages shown whole');
  t.equal(pump.state[Slot.Syncs], 2000, 'every Query counted as a sync point');
  t.equal(pump.state[Slot.Outstanding], 2000, 'none answered yet');
  t.equal(pump.state[Slot.FromClient], stream.length, 'bytes counted');
  t.ok(pump.stop(), 'stopped at once');
  t.same(
    owner.stops.map((s) => [s.reason, s.rest, s.toUpstream, s.toClient]),
    [[PumpStop.Requested, null, null, null]],
    'nothing left over',
  );
  pump.release();
});

t.test('a handoff stops exactly at the watched message; what came before is forwarded', { skip: !native }, async (t) => {
  const { client, server, clientFd, upstreamFd } = await rig(t);
  const owner = new Owner((m) => (m.includes('DROP') ? PUMP_HANDOFF : PUMP_PASS));
  const pump = new NativePump(native!, owner, watchQ, 1 << 20);
  pump.start(clientFd, upstreamFd);
  const before = Buffer.concat([message('Q', Buffer.from('SELECT 1\0')), message('d', Buffer.alloc(10, 1))]);
  const drop = message('Q', Buffer.from('DROP TABLE t\0'));
  const after = message('Q', Buffer.from('SELECT 2\0'));
  const received = collect(server, before.length);
  client.write(Buffer.concat([before, drop, after]));
  t.ok((await received).equals(before), 'the messages before it reached the server');
  while (owner.stops.length === 0) await new Promise((r) => setImmediate(r));
  t.equal(owner.stops[0]!.reason, PumpStop.Handoff, 'stopped for a handoff');
  t.ok(owner.stops[0]!.rest?.equals(Buffer.concat([drop, after])), 'handed back from the message on, nothing lost');
  t.notOk(pump.running, 'no longer running');
  t.equal(pump.state[Slot.Syncs], 1, 'only the forwarded Query counted');
  pump.release();
});

t.test('a callback that throws stops the pump, and the owner can report what it threw', { skip: !native }, async (t) => {
  const { client, server, clientFd, upstreamFd } = await rig(t);
  const boom = new Error('the judge broke');
  const owner = new Owner((m) => {
    if (m.includes('BOOM')) throw boom;
    return PUMP_PASS;
  });
  const pump = new NativePump(native!, owner, watchQ, 1 << 20);
  pump.start(clientFd, upstreamFd);
  const before = message('Q', Buffer.from('SELECT 1\0'));
  const bad = message('Q', Buffer.from('BOOM\0'));
  const received = collect(server, before.length);
  client.write(Buffer.concat([before, bad]));
  t.ok((await received).equals(before), 'what came before the message reached the server');
  while (owner.stops.length === 0) await new Promise((r) => setImmediate(r));
  t.equal(owner.stops[0]!.reason, PumpStop.CallbackFailed, 'stopped because the callback failed');
  t.ok(owner.stops[0]!.rest?.equals(bad), 'handed back from that message on');
  t.equal(pump.takeCallbackError(), boom, 'the error it threw, for the owner to report');
  t.match(String(pump.takeCallbackError()), /no error was recorded/, 'taken once: a later stop starts clean');
  pump.release();
});

t.test('a ReadyForQuery callback that throws stops the pump after relaying the bytes', { skip: !native }, async (t) => {
  const { client, server, clientFd, upstreamFd } = await rig(t);
  const owner = new Owner();
  owner.pumpReady = () => {
    throw new Error('ready broke');
  };
  const pump = new NativePump(native!, owner, watchQ, 1 << 20);
  pump.state[Slot.Outstanding] = 1;
  pump.state[Slot.WantReady] = 1;
  pump.start(clientFd, upstreamFd);
  const ready = message('Z', Buffer.from('I'));
  const received = collect(client, ready.length);
  server.write(ready);
  t.ok((await received).equals(ready), 'the ReadyForQuery still reached the client');
  while (owner.stops.length === 0) await new Promise((r) => setImmediate(r));
  t.equal(owner.stops[0]!.reason, PumpStop.CallbackFailed, 'stopped because the callback failed');
  t.match(String(pump.takeCallbackError()), /ready broke/, 'with its error');
  pump.release();
});

t.test('backend headers walked across reads: ReadyForQuery, errors, and where a message stands', { skip: !native }, async (t) => {
  const { client, server, clientFd, upstreamFd } = await rig(t);
  const owner = new Owner();
  const pump = new NativePump(native!, owner, watchQ, 1 << 20);
  pump.state[Slot.Outstanding] = 2;
  pump.state[Slot.WantReady] = 1;
  pump.start(clientFd, upstreamFd);
  const rows = Buffer.concat(Array.from({ length: 500 }, (_, i) => message('D', Buffer.alloc(200 + (i % 13), i % 251))));
  const stream = Buffer.concat([
    rows,
    message('Z', Buffer.from('T')),
    message('E', Buffer.from('SERROR\0\0')),
    message('Z', Buffer.from('E')),
    message('D', Buffer.alloc(5000, 1)).subarray(0, 3000), // a message cut short: the stream stops mid-way
  ]);
  const received = collect(client, stream.length);
  await writeChunked(server, stream, 7);
  t.ok((await received).equals(stream), 'relayed unchanged');
  t.same(owner.readies, [['T', false], ['E', true]], 'each ReadyForQuery reported, with the error between them');
  t.equal(pump.state[Slot.Outstanding], 0, 'both answered');
  t.equal(pump.state[Slot.TxStatus], 'E'.charCodeAt(0), 'failed transaction status kept');
  t.equal(pump.state[Slot.Skip], 5005 - 3000, 'bytes still to come of the cut message');
  t.equal(pump.state[Slot.LastType], 'D'.charCodeAt(0), 'its type');
  pump.stop();
  pump.release();
});

t.test('a slow server: the pump stops reading the client, queues at most one read, and loses nothing', { skip: !native }, async (t) => {
  const { client, server, clientEnd, upstreamEnd, clientFd, upstreamFd } = await rig(t);
  const owner = new Owner();
  const pump = new NativePump(native!, owner, watchQ, 1 << 20);
  pump.start(clientFd, upstreamFd);
  server.pause();
  const stream = Buffer.concat(Array.from({ length: 4000 }, (_, i) => message('d', Buffer.alloc(8000, i % 251))));
  const writing = new Promise((resolve) => client.write(stream, resolve));
  while (pump.state[Slot.QueuedToUpstream] === 0) await new Promise((r) => setTimeout(r, 5));
  t.ok(pump.stop(), 'stopped while backed up');
  const stop = owner.stops[0]!;
  t.ok(pump.state[Slot.FromClient] < stream.length / 2, `read ${pump.state[Slot.FromClient]} of ${stream.length} bytes`);
  const queued = stop.toUpstream?.length ?? 0;
  t.ok(queued > 0 && queued <= 64 * 1024, `queued for the server: ${queued} bytes, at most one read`);
  // As the session does: unwritten output first, then what was read but not forwarded (a partial
  // message), then carry on reading the client in JavaScript.
  const received = collect(server, stream.length);
  if (stop.toUpstream) upstreamEnd.write(stop.toUpstream);
  if (stop.rest) upstreamEnd.write(stop.rest);
  const handle = (clientEnd as unknown as { _handle: { readStart(): number; reading: boolean } })._handle;
  handle.readStart();
  clientEnd.pipe(upstreamEnd);
  server.resume();
  await writing;
  t.ok((await received).equals(stream), 'every byte arrived, in order, once the server read again');
  pump.release();
});

t.test('the end of the client stream stops the pump and says so', { skip: !native }, async (t) => {
  const { client, clientFd, upstreamFd } = await rig(t);
  const owner = new Owner();
  const pump = new NativePump(native!, owner, watchQ, 1 << 20);
  pump.start(clientFd, upstreamFd);
  client.end(message('Q', Buffer.from('SELECT 1\0')).subarray(0, 7));
  while (owner.stops.length === 0) await new Promise((r) => setTimeout(r, 5));
  t.equal(owner.stops[0]!.reason, PumpStop.ClientEnded, 'client ended');
  t.same(owner.stops[0]!.rest, message('Q', Buffer.from('SELECT 1\0')).subarray(0, 7), 'the partial message handed back');
  pump.release();
});

t.test('odd messages go back to the session: Terminate, a bad length, one over the limit', { skip: !native }, async (t) => {
  for (const odd of [message('X', Buffer.alloc(0)), Buffer.from([0x51, 0, 0, 0, 2]), message('d', Buffer.alloc(2000))]) {
    const { client, clientFd, upstreamFd } = await rig(t);
    const owner = new Owner();
    const pump = new NativePump(native!, owner, watchQ, 1024);
    pump.start(clientFd, upstreamFd);
    client.write(odd);
    while (owner.stops.length === 0) await new Promise((r) => setTimeout(r, 5));
    t.equal(owner.stops[0]!.reason, PumpStop.OddMessage, `stopped on ${odd.subarray(0, 5).toString('hex')}`);
    t.ok(owner.stops[0]!.rest?.equals(odd.subarray(0, owner.stops[0]!.rest.length)), 'handed back from its first byte');
    pump.release();
  }
});

t.test('a running pump nobody references stays alive until it stops', { skip: !native }, async (t) => {
  const { client, server, clientFd, upstreamFd } = await rig(t);
  const owner = new Owner();
  // Started and dropped at once: only the pump's own hold on itself keeps it from being collected.
  (() => new NativePump(native!, owner, watchQ, 1 << 20).start(clientFd, upstreamFd))();
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  for (let i = 0; i < 3; i++) {
    gc();
    await new Promise((r) => setImmediate(r));
  }
  const bytes = message('d', Buffer.alloc(1000, 9));
  const received = collect(server, bytes.length);
  client.write(bytes);
  t.ok((await received).equals(bytes), 'it still relays after garbage collection');
  server.destroy(); // collect() already let go of it; make the end explicit
  while (owner.stops.length === 0) await new Promise((r) => setTimeout(r, 5));
  t.equal(owner.stops[0]!.reason, PumpStop.UpstreamEnded, 'and stops, telling its owner, when the server goes away');
});
