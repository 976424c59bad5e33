/**
 * The native relay's filter (src/native/harmless-scan.c) against the judge's own fast path
 * (src/enforce/harmless-scan.ts), on the same messages: a hand-written corpus of disguises and
 * tens of thousands of generated texts built from the pieces each scan treats specially. The C
 * port must prove exactly what the JavaScript proves: never more (that would pass a statement
 * the judge holds), and not less (that would cost a call into JavaScript for nothing).
 */
import t from 'tap';
import { provablyHarmlessMessage, UNPROVABLE } from '../../src/enforce/harmless-scan.js';
import { loadNativeRelay, type NativeRelayModule } from '../../src/proxy/native-relay.js';
import { parseMessage, queryMessage } from '../../src/proxy/protocol/frontend-messages.js';

const load = loadNativeRelay();
if (!load.ok && process.env.TRIPWIRE_RELAY !== 'js') t.fail(`the native relay did not load: ${load.reason}`);
const native: NativeRelayModule | null = load.ok ? load.module : null;

const CORPUS = [
  'SELECT abalance FROM pgbench_accounts WHERE aid = 42',
  'select * from customers where email = $1',
  'INSERT INTO orders (customer_id, total_cents) VALUES (7, 1200) RETURNING id',
  "SELECT 'drop table customers' AS text_only -- DROP in a comment",
  'SELECT $body$ DELETE FROM customers $body$',
  'SELECT /* truncate */ 1',
  'SELECT "drop" FROM t',
  "SELECT 'it''s' AS s",
  'DROP TABLE customers',
  'ALTER TABLE customers DROP COLUMN phone',
  'SELECT 1; DELETE FROM customers',
  "SELECT '--'; DROP TABLE films;",
  'WITH gone AS (DELETE FROM customers RETURNING *) SELECT count(*) FROM gone',
  'TrUnCaTe customers',
  "DO $$ BEGIN EXECUTE 'drop table x'; END $$",
  "SELECT set_config('search_path', 'evil', false)",
  'SELECT 1 FOR UPDATE',
  'SELECT U&"\\0064rop"',
  "SELECT E'\\' ; DROP TABLE t; --'",
  "SELECT 'unterminated",
  'SELECT "a""b"; DROP TABLE t',
  'SELECT /* nested /* */ DROP */ 1',
  'SELECT $$ unterminated',
  'select\u00a0drop',
  "SELECT 'café' AS word",
  'SELECT wipe()',
  'SELECT WIPE()',
  'SELECT "CamelCase"()',
  'SELECT camelcase()',
  'SELECT "wipe"()',
  'SELECT "Wipe"()',
  'SELECT "wipé"()',
  'SELECT $1, $2 FROM t',
  'SELECT $tag$ x $tag$, $a1$ y $a1$',
  '',
  ';',
  '-- only a comment',
  '/* open',
  'SELECT 1 -- DELETE',
];
const ROUTINES = ['wipe', 'CamelCase', 'wipé', 'x$1', 'a'.repeat(300)];

/** Pieces each scan treats specially, and words from both sides of the line. */
const PIECES = [
  'SELECT', 'select', 'FROM', 'where', 't', 'x1', '_x', 'x$y', 'count(*)', '1', '42', ' ', '  ', '\n', '\t', ',', ';', '(', ')', '=', '::int',
  "'", "''", "'text'", "'it''s'", "E'", '\\', '"', '""', '"id"', '"Drop"', '"wipe"', '"CamelCase"', '"wipé"',
  '--', '-- note\n', '-', '/*', '*/', '/* c */', '/* a /* b */ */', '/', '*',
  '$', '$$', '$1', '$9', '$tag$', '$a1$', '$_$', '$$ body $$',
  'U&', 'u&"x"', 'U&\'x\'', 'u', 'é', '\u00a0', '€',
  'wipe', 'WIPE', 'Wipe', 'camelcase', 'CamelCase', 'x$1', 'a'.repeat(300),
  ...UNPROVABLE, ...UNPROVABLE.map((w) => w.toUpperCase()), 'dropped', 'updates', 'sets', 'do_it', 'ends', 'doing',
];

/** A small seeded generator: the same texts on every run, so a failure can be reproduced. */
function generator(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function texts(count: number): string[] {
  const random = generator(20261129);
  const out: string[] = [];
  for (let k = 0; k < count; k++) {
    const n = 1 + Math.floor(random() * 12);
    let sql = '';
    for (let i = 0; i < n; i++) sql += PIECES[Math.floor(random() * PIECES.length)];
    out.push(sql);
  }
  return out;
}

t.test('the C filter proves exactly what the judge\'s fast path proves', { skip: native ? false : 'the native relay is not built' }, async (t) => {
  const n = native!;
  const plain = n.createFilter();
  n.setRoutines(plain, []);
  const withRoutines = n.createFilter();
  n.setRoutines(withRoutines, ROUTINES);
  const routineSet = new Set(ROUTINES);
  const none = new Set<string>();
  const all = [...CORPUS, ...texts(30_000)];
  let mismatches = 0;
  let provedCount = 0;
  for (const sql of all) {
    for (const message of [queryMessage(sql), parseMessage('', sql), parseMessage('s1', sql)]) {
      for (const [filter, routines] of [[plain, none], [withRoutines, routineSet]] as const) {
        const js = provablyHarmlessMessage(message[0]!, message, routines);
        const c = n.filterPasses(filter, message[0]!, message);
        if (js) provedCount++;
        if (js !== c && mismatches++ < 10) t.fail(`${JSON.stringify(sql)} (${String.fromCharCode(message[0]!)}, ${routines.size} routines): JavaScript ${js}, C ${c}`);
      }
    }
  }
  t.equal(mismatches, 0, `${all.length} texts, as Query and Parse, with and without routines: the two scans agree`);
  // The corpus must exercise both answers, or agreement proves little.
  t.ok(provedCount > 1000 && provedCount < all.length * 6 * 0.9, `both answers occur (${provedCount} proofs)`);
  for (const word of UNPROVABLE) {
    t.notOk(n.filterPasses(plain, 0x51, queryMessage(`SELECT 1 FROM t WHERE ${word.toUpperCase()}`)), `C knows the word ${word}`);
  }
});

t.test('on arbitrary bytes, C proves nothing the judge does not', { skip: native ? false : 'the native relay is not built' }, async (t) => {
  const n = native!;
  const filter = n.createFilter();
  n.setRoutines(filter, ROUTINES);
  const routineSet = new Set(ROUTINES);
  const random = generator(7);
  // Bytes either scan treats specially, NUL (message structure), and the rest of the byte range.
  const SPECIAL = [0, 0x22, 0x24, 0x27, 0x2a, 0x2d, 0x2f, 0x26, 0x5c, 0x0a, 0x20, 0x3b, 0x31, 0x55, 0x75, 0xc3, 0xa9, 0xff];
  const WORDS = ['select', 'drop', 'wipe', 'x', '$$', '--', '/*', '*/'];
  let unsound = 0;
  let proved = 0;
  for (let k = 0; k < 20_000; k++) {
    const parts: Buffer[] = [];
    const pieces = 1 + Math.floor(random() * 16);
    for (let i = 0; i < pieces; i++) {
      const r = random();
      if (r < 0.4) parts.push(Buffer.from([SPECIAL[Math.floor(random() * SPECIAL.length)]!]));
      else if (r < 0.5) parts.push(Buffer.from([Math.floor(random() * 256)]));
      else parts.push(Buffer.from(WORDS[Math.floor(random() * WORDS.length)]!, 'latin1'));
    }
    const body = Buffer.concat(parts);
    const type = random() < 0.5 ? 0x51 : 0x50;
    const message = Buffer.alloc(5 + body.length);
    message[0] = type;
    message.writeInt32BE(4 + body.length, 1);
    body.copy(message, 5);
    if (!n.filterPasses(filter, type, message)) continue;
    proved++;
    if (!provablyHarmlessMessage(type, message, routineSet) && unsound++ < 10) t.fail(`C proved what JavaScript does not: ${message.toString('hex')}`);
  }
  t.equal(unsound, 0, `20,000 random messages (${proved} proved by C): every C proof is also a JavaScript proof`);
  t.ok(proved > 100, 'some random messages are proved, so the check has something to check');
});

t.test('a filter passes nothing until it has a snapshot, and nothing after losing it', { skip: native ? false : 'the native relay is not built' }, async (t) => {
  const n = native!;
  const filter = n.createFilter();
  const select = queryMessage('SELECT 1');
  t.notOk(n.filterPasses(filter, 0x51, select), 'no snapshot yet: the judge must read one');
  n.setRoutines(filter, ['wipe']);
  t.ok(n.filterPasses(filter, 0x51, select), 'with a snapshot, a harmless Query passes');
  t.notOk(n.filterPasses(filter, 0x51, queryMessage('SELECT wipe()')), 'a call to a routine of the snapshot does not');
  n.setRoutines(filter, []);
  t.ok(n.filterPasses(filter, 0x51, queryMessage('SELECT wipe()')), 'a new snapshot without it: the same call passes');
  n.setRoutines(filter, null);
  t.notOk(n.filterPasses(filter, 0x51, select), 'no snapshot again: nothing passes');
  t.notOk(n.filterPasses(filter, 0x42, select), 'only Query and Parse messages are ever proved');
  t.notOk(n.filterPasses(filter, 0x50, Buffer.from([0x50, 0, 0, 0, 6, 0x61, 0x62])), 'a Parse without a name terminator is not');
});

t.test('bad arguments get a clear error', { skip: native ? false : 'the native relay is not built' }, async (t) => {
  const n = native!;
  const filter = n.createFilter();
  t.throws(() => n.filterPasses({} as never, 0x51, queryMessage('SELECT 1')), { code: 'TW_NATIVE_RELAY', message: /filterPasses/ });
  t.throws(() => n.setRoutines(filter, [1 as never]), { code: 'TW_NATIVE_RELAY', message: /array of strings/ });
  t.throws(() => n.setRoutines(filter, 'wipe' as never), { code: 'TW_NATIVE_RELAY', message: /array of strings/ });
  t.throws(() => n.setRoutines(n.createFilter as never, []), { code: 'TW_NATIVE_RELAY', message: /setRoutines/ });
});
