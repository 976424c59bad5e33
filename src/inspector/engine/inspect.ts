/**
 * inspect(): SQL text in, per-statement facts and findings out, plus the state for the next call.
 * Synchronous and pure; the parser must have been loaded once with loadInspector().
 */
import { displayName } from '../catalog/names.js';
import type { Change } from '../model/changes.js';
import type { Description } from '../model/describer.js';
import { strongest } from '../model/locks.js';
import { parseScript } from '../parse/script.js';
import { initialState } from '../state.js';
import type { InspectOptions, InspectResult, StatementFacts } from '../types.js';
import { lookInside } from './hidden.js';
import { judge, type Env } from './judge.js';
import { Output, type Frame } from './output.js';
import { Session } from './session.js';

function changeObjects(c: Change): string[] {
  switch (c.op) {
    case 'add-column': return [displayName(c.table.q, c.column.name)];
    case 'drop-column': case 'alter-column-type': case 'set-not-null': case 'drop-not-null': case 'set-default':
      return [displayName(c.table.q, c.column)];
    case 'rename-column': return [displayName(c.table.q, c.from), displayName(c.table.q, c.to)];
    case 'create-table': case 'drop-table': case 'add-constraint': case 'drop-constraint': case 'validate-constraint': case 'delete': case 'update':
      return [displayName(c.table.q)];
    case 'create-index': return [displayName(c.table.q)];
    case 'create-view': return [displayName(c.view.q)];
    case 'truncate': case 'vacuum-full': return c.tables.map((t) => displayName(t.q));
    case 'rename-relation': case 'set-schema': return [displayName(c.relation.q)];
    case 'drop-sequence': return [displayName(c.sequence.q)];
    case 'drop-index': return [displayName(c.index)];
    default: return [];
  }
}

function facts(index: number, frame: Frame, d: Description, inTransaction: boolean): StatementFacts {
  const objects = new Set<string>();
  for (const c of d.changes) for (const o of changeObjects(c)) objects.add(o);
  for (const l of d.locks) objects.add(displayName(l.q));
  const locks = d.locks.map((l) => ({ object: displayName(l.q), mode: l.mode }));
  let lock: StatementFacts['lock'] = null;
  for (const l of d.locks) lock = strongest(lock, l.mode);
  const { offset, length, line, column, endLine, endColumn } = frame.span;
  return { offset, length, line, column, endLine, endColumn, index, kind: d.kind, objects: [...objects], lock, locks, rewritesTable: d.rewrites.length > 0, transactional: d.transactional, inTransaction };
}

/** Inspects SQL text. Never throws for any input: syntax errors are findings. */
export function inspect(sql: string, options: InspectOptions = {}): InspectResult {
  const mode = options.mode ?? 'query';
  const script = parseScript(sql);
  const session = new Session(options.state ?? initialState(options.catalog), mode);
  const out = new Output(script.map);
  const statementCount = script.items.filter((i) => i.kind !== 'meta').length;
  const env: Env = { session, out, depth: 0, implicitTransaction: mode === 'query' && statementCount > 1, scratch: false, hidden: lookInside };
  let index = 0;
  for (const item of script.items) {
    if (item.kind === 'meta') {
      out.add('psql-meta-command', { statement: index, span: out.span(item.start, item.end) }, {
        objects: [],
        message: `psql meta-command ${item.command.split(/\s/)[0]} is not SQL: tripwire skips the line and cannot see what it does`,
        suggestion: 'Keep migrations to plain SQL; \\i and \\include hide other files from the check.',
      });
      continue;
    }
    index++;
    const frame: Frame = item.kind === 'statement' ? { statement: index, span: out.span(item.start, item.end), toChar: item.toChar } : { statement: index, span: out.span(item.start, item.end) };
    if (item.kind === 'error') {
      out.add('syntax-error', { ...frame, span: out.lineSpan(item.at, frame.span) }, { objects: [], message: `${item.message}: nothing in this statement can be judged`, suggestion: 'Fix the syntax error; tripwire holds what it cannot read.' });
      out.statements.push({ ...frame.span, index, kind: '(syntax error)', objects: [], lock: null, locks: [], rewritesTable: false, transactional: true, inTransaction: session.transaction !== null });
      continue;
    }
    const inTransaction = session.transaction !== null || env.implicitTransaction;
    try {
      out.statements.push(facts(index, frame, judge(env, frame, item.type, item.node), inTransaction));
    } catch (err) {
      // A bug must not let a statement through unjudged, nor take the proxy down: hold it.
      out.add('inspector-error', frame, {
        objects: [],
        message: `tripwire failed while judging this statement (${err instanceof Error ? err.message : String(err)}), so it is held rather than passed unjudged`,
        suggestion: 'Report this statement to the tripwire maintainers; the rest of the text was judged.',
      });
      out.statements.push({ ...frame.span, index, kind: '(not judged)', objects: [], lock: null, locks: [], rewritesTable: false, transactional: true, inTransaction });
    }
  }
  return { statements: out.statements, findings: out.sorted(), state: session.finish() };
}
