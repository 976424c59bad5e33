/** Constant folding of EXECUTE strings: what it can resolve, and that it never guesses. */
import t from 'tap';
import { foldExpression } from '../../src/inspector/hidden/fold.js';
import './helpers.js';

t.test('folds strings, concatenation, format and quoting', async (t) => {
  const env = new Map<string, string | null | undefined>([['t', 'My Table'], ['n', null], ['u', undefined]]);
  t.equal(foldExpression("'DROP TABLE ' || 'x'", env), 'DROP TABLE x');
  t.equal(foldExpression("format('DROP TABLE %I.%I', 'public', t)", env), 'DROP TABLE public."My Table"');
  t.equal(foldExpression("format('SELECT %L, %s, %%, %2$s', 'it''s', 'x')", env), "SELECT 'it''s', x, %, x");
  t.equal(foldExpression("'TRUNCATE ' || quote_ident(t)", env), 'TRUNCATE "My Table"');
  t.equal(foldExpression("concat('a', NULL, 'b')", env), 'ab');
  t.equal(foldExpression("concat_ws(' ', 'DROP', 'TABLE', 'x')", env), 'DROP TABLE x');
  t.equal(foldExpression("upper('drop') || ' TABLE x'", env), 'DROP TABLE x');
  t.equal(foldExpression("coalesce(n, 'fallback')", env), 'fallback');
  t.equal(foldExpression("'x' || n", env), null);
});

t.test('anything unknown stays unknown', async (t) => {
  const env = new Map<string, string | null | undefined>([['u', undefined]]);
  for (const expr of ["'DROP TABLE ' || u", "'DROP TABLE ' || r.name", "'DROP TABLE ' || missing", "format('%I', u)", "md5('x')", "'a' || (SELECT 'b')", 'not valid sql ((']) {
    t.equal(foldExpression(expr, env), undefined, expr);
  }
});
