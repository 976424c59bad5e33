/** Splitting scripts into statements with exact places, whatever the text holds. */
import t from 'tap';
import { parseScript } from '../../src/inspector/parse/script.js';
import './helpers.js';

function shape(sql: string): string[] {
  const { items, map } = parseScript(sql);
  return items.map((i) => {
    const at = map.lineCol(i.start);
    const kind = i.kind === 'statement' ? i.type : i.kind;
    return `${kind}@${at.line}:${at.column} ${JSON.stringify(sql.slice(i.start, i.end))}`;
  });
}

t.test('statements start at their first token, after comments, and end before the semicolon', async (t) => {
  t.same(shape('-- header\nSELECT 1;  /* c */ DROP TABLE t ;\n'), ['SelectStmt@2:1 "SELECT 1"', 'DropStmt@2:20 "DROP TABLE t"']);
});

t.test('character columns survive multi-byte text before the statement', async (t) => {
  t.same(shape("SELECT 'é€😀';\nDROP TABLE t;"), ['SelectStmt@1:1 "SELECT \'é€😀\'"', 'DropStmt@2:1 "DROP TABLE t"']);
  t.same(shape('SELECT 1; -- é\nDROP TABLE "tablé";'), ['SelectStmt@1:1 "SELECT 1"', 'DropStmt@2:1 "DROP TABLE \\"tablé\\""']);
});

t.test('a syntax error keeps the statements before and after it', async (t) => {
  t.same(shape('SELECT 1;\nSELEC 2;\nSELECT 3;'), ['SelectStmt@1:1 "SELECT 1"', 'error@2:1 "SELEC 2"', 'SelectStmt@3:1 "SELECT 3"']);
  const { items } = parseScript('SELECT 1;\nSELECT (;\n');
  const error = items.find((i) => i.kind === 'error');
  t.ok(error && error.kind === 'error' && /syntax error/.test(error.message));
});

t.test('a BEGIN ATOMIC body is kept whole when another statement fails', async (t) => {
  const sql = 'CREATE PROCEDURE p() BEGIN ATOMIC DELETE FROM a; DELETE FROM b; END;\nbroken here;\nSELECT 1;';
  t.same(shape(sql).map((s) => s.split(' ')[0]), ['CreateFunctionStmt@1:1', 'error@2:1', 'SelectStmt@3:1']);
});

t.test('psql meta-commands are cut out and reported, wherever they are', async (t) => {
  t.same(shape('\\set x 1\nSELECT 1;\n  \\i other.sql\nSELECT 2'), ['meta@1:1 "\\\\set x 1"', 'SelectStmt@2:1 "SELECT 1"', 'meta@3:3 "\\\\i other.sql"', 'SelectStmt@4:1 "SELECT 2"']);
  t.same(shape("SELECT E'\\\\x', $$\\d$$;"), ['SelectStmt@1:1 "SELECT E\'\\\\\\\\x\', $$\\\\d$$"']);
});

t.test('empty input, blanks and comments hold no statement', async (t) => {
  for (const sql of ['', '   \n\t', '-- just a comment', '/* a /* nested */ comment */', ';;;']) t.same(shape(sql), [], JSON.stringify(sql));
});
