/**
 * DirectWriter: straight to the kernel while nothing is queued, through the stream otherwise.
 * Real sockets on loopback; the reader starts paused so the kernel buffer fills up.
 */
import t from 'tap';
import { createHash } from 'node:crypto';
import net from 'node:net';
import { once } from 'node:events';
import { DirectWriter } from '../../src/proxy/direct-write.js';

async function socketPair(): Promise<{ writer: net.Socket; reader: net.Socket; close(): void }> {
  const server = net.createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as net.AddressInfo;
  const accepted = once(server, 'connection');
  const writer = net.connect(port, '127.0.0.1');
  await once(writer, 'connect');
  const [reader] = (await accepted) as [net.Socket];
  return { writer, reader, close: () => (writer.destroy(), reader.destroy(), server.close()) };
}

t.test('32 MiB through a slow reader: every byte, in order, backpressure reported', async (t) => {
  const { writer, reader, close } = await socketPair();
  t.teardown(close);
  const received = createHash('sha256');
  let receivedBytes = 0;
  reader.on('data', (b: Buffer) => {
    received.update(b);
    receivedBytes += b.length;
  });
  reader.pause();
  const direct = new DirectWriter(writer);
  const sent = createHash('sha256');
  const total = 32 * 1024 * 1024;
  let written = 0;
  let refused = 0;
  for (let i = 0; written < total; i++) {
    // An odd size, so partial writes split chunks anywhere; each chunk its own byte value.
    const bytes = Buffer.alloc(Math.min(48 * 1024 + 7, total - written), i % 251);
    sent.update(bytes);
    written += bytes.length;
    if (!direct.write(bytes)) {
      refused++;
      reader.resume();
      await once(writer, 'drain');
    }
  }
  t.ok(refused > 0, 'a full socket buffer made write() say: wait for drain');
  const ended = once(reader, 'end');
  writer.end();
  await ended;
  t.equal(receivedBytes, total, 'every byte arrived');
  t.equal(received.digest('hex'), sent.digest('hex'), 'in the order written');
});

t.test('after end() nothing goes to the descriptor: the stream reports the late write', async (t) => {
  const { writer, reader, close } = await socketPair();
  t.teardown(close);
  const chunks: Buffer[] = [];
  reader.on('data', (b: Buffer) => chunks.push(b));
  const direct = new DirectWriter(writer);
  t.equal(direct.write(Buffer.from('first')), true);
  t.equal(writer.bytesWritten, 0, 'the kernel took it whole, the stream never saw it');
  writer.end();
  const error = once(writer, 'error');
  direct.write(Buffer.from('late'));
  const [err] = (await error) as [NodeJS.ErrnoException];
  t.equal(err.code, 'ERR_STREAM_WRITE_AFTER_END');
  await once(reader, 'end');
  t.equal(Buffer.concat(chunks).toString(), 'first', 'the late bytes never reached the peer');
});

t.test('a peer that is gone: the error comes from the stream, as with socket.write', async (t) => {
  const { writer, reader, close } = await socketPair();
  t.teardown(close);
  reader.resetAndDestroy();
  await once(reader, 'close');
  const direct = new DirectWriter(writer);
  const error = once(writer, 'error');
  // The first write may still be taken by the kernel before the reset is seen.
  for (let i = 0; i < 3 && !writer.destroyed; i++) {
    direct.write(Buffer.alloc(1024));
    await new Promise((r) => setTimeout(r, 20));
  }
  const [err] = (await error) as [NodeJS.ErrnoException];
  t.match(err.code, /^(ECONNRESET|EPIPE)$/);
});
