import t from 'tap';
import { serialize } from '../harness/frontend.js';
import { Frame, FrontendFramer } from '../../src/proxy/protocol/frontend-framer.js';
import { watchTypes } from '../../src/proxy/interceptor.js';
import { thrown } from '../harness/thrown.js';

/** A pipelined extended-protocol batch plus a simple Query, as postgres.js and psql send them. */
const stream = Buffer.concat([
  serialize.parse({ name: 's1', text: 'SELECT $1::int', types: [] }),
  serialize.bind({ statement: 's1', values: ['42'] }),
  serialize.describe({ type: 'P', name: '' }),
  serialize.execute({}),
  serialize.sync(),
  serialize.query('SELECT 1; SELECT 2'),
  serialize.copyData(Buffer.alloc(3000, 0x61)),
  serialize.sync(),
]);

interface Seen {
  watched: string[];
  forwarded: Buffer[];
  syncs: number;
}

function drain(framer: FrontendFramer, seen: Seen): void {
  for (;;) {
    const frame = framer.next();
    if (frame === Frame.None) return;
    if (frame === Frame.Watched) seen.watched.push(String.fromCharCode(framer.type));
    else seen.syncs += framer.runSyncs;
    seen.forwarded.push(Buffer.from(framer.view));
  }
}

function feedSplit(parts: Buffer[], watches = watchTypes('QP')): Seen {
  const framer = new FrontendFramer(watches, 1 << 20);
  const seen: Seen = { watched: [], forwarded: [], syncs: 0 };
  for (const part of parts) {
    framer.push(part);
    drain(framer, seen);
  }
  return seen;
}

t.test('split at every offset: same bytes out, watched messages seen whole and in order', async (t) => {
  for (let cut = 0; cut <= stream.length; cut++) {
    const seen = feedSplit([stream.subarray(0, cut), stream.subarray(cut)]);
    if (!Buffer.concat(seen.forwarded).equals(stream) || seen.watched.join('') !== 'PQ' || seen.syncs !== 2) {
      t.fail(`split at ${cut}: watched ${seen.watched.join('')}, syncs ${seen.syncs}`);
      return;
    }
  }
  t.pass(`all ${stream.length + 1} two-way splits frame correctly`);
});

t.test('one byte at a time', async (t) => {
  const parts = [...stream].map((b) => Buffer.from([b]));
  const seen = feedSplit(parts);
  t.ok(Buffer.concat(seen.forwarded).equals(stream));
  t.same(seen.watched, ['P', 'Q']);
  t.equal(seen.syncs, 2, 'the unwatched Sync messages are counted as sync points');
});

t.test('unwatched messages in one chunk come out as a single run (one write)', async (t) => {
  const seen = feedSplit([stream], watchTypes(''));
  t.equal(seen.forwarded.length, 1);
  t.equal(seen.syncs, 3, 'two Syncs and one Query');
});

t.test('never yields part of a message', async (t) => {
  const framer = new FrontendFramer(watchTypes(''), 1 << 20);
  const query = serialize.query('SELECT 1');
  framer.push(query.subarray(0, query.length - 1));
  t.equal(framer.next(), Frame.None);
  t.notOk(framer.atBoundary);
  framer.push(query.subarray(query.length - 1));
  t.equal(framer.next(), Frame.Run);
  t.ok(framer.view.equals(query));
  t.ok(framer.atBoundary);
});

t.test('a length below 4 is refused with TW_MESSAGE_LENGTH_INVALID', async (t) => {
  const framer = new FrontendFramer(watchTypes(''), 1 << 20);
  framer.push(Buffer.from([0x51, 0, 0, 0, 3, 0]));
  t.match(thrown(() => framer.next()), { code: 'TW_MESSAGE_LENGTH_INVALID', sqlstate: '08P01' });
});

t.test('a message over maxMessageBytes is refused from its header, before it is buffered', async (t) => {
  const framer = new FrontendFramer(watchTypes(''), 1024);
  const header = Buffer.from([0x51, 0, 0, 0x10, 0]); // claims 4096 bytes
  framer.push(header);
  t.match(thrown(() => framer.next()), { code: 'TW_MESSAGE_TOO_LARGE', message: /over the limit of 1024/ });
});

t.test('a message of exactly the header size (Sync) spanning chunks is yielded', async (t) => {
  const sync = serialize.sync();
  const seen = feedSplit([sync.subarray(0, 2), sync.subarray(2)], watchTypes('S'));
  t.same(seen.watched, ['S']);
});
