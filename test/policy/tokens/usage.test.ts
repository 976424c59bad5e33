import t from 'tap';
import { MemoryTokenUsage } from '../../../src/policy/tokens/usage.js';

t.test('a use is remembered while its token lives, and forgotten once it has expired', async (t) => {
  let now = 1_000;
  const usage = new MemoryTokenUsage(() => now);
  usage.markUsed('short', 'DROP TABLE a', 1_060);
  usage.markUsed('long', 'DROP TABLE b', 5_000);
  usage.markUsed('no-expiry', 'DROP TABLE c');
  t.ok(usage.isUsed('short', 'DROP TABLE a'));
  t.notOk(usage.isUsed('short', 'DROP TABLE b'), 'per statement');
  now = 1_059;
  usage.forgetExpired();
  t.ok(usage.isUsed('short', 'DROP TABLE a'), 'not before exp');
  now = 1_061;
  usage.forgetExpired();
  t.notOk(usage.isUsed('short', 'DROP TABLE a'), 'after exp: forgotten (the token itself is refused as expired)');
  t.ok(usage.isUsed('long', 'DROP TABLE b'));
  t.ok(usage.isUsed('no-expiry', 'DROP TABLE c'));
  t.equal(usage.size, 2);
});

t.test('a long-lived proxy: expired uses are swept as new ones arrive, memory stays bounded', async (t) => {
  let now = 0;
  const usage = new MemoryTokenUsage(() => now);
  for (let i = 0; i < 10_000; i++) {
    now = i;
    usage.markUsed(`token-${i}`, 'DELETE FROM t', i + 100); // each token lives 100 s
  }
  t.ok(usage.size <= 100 + 256, `remembered ${usage.size} of 10,000 uses`);
  t.ok(usage.isUsed('token-9999', 'DELETE FROM t'), 'the live ones are all there');
  t.ok(usage.isUsed('token-9900', 'DELETE FROM t'));
});
