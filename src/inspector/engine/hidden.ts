/**
 * Hidden SQL: statements inside DO blocks, function and procedure bodies, prepared statements and
 * EXECUTE strings are judged as if they were top-level, with a frame that says where they hide.
 * What cannot be seen (an EXECUTE string that does not fold to a constant, a body in a language
 * tripwire cannot read) is a `dynamic-sql` finding: tripwire does not guess.
 */
import { displayName } from '../catalog/names.js';
import { entry } from '../catalog/records.js';
import type { QName, RoutineEntry } from '../catalog/types.js';
import { analyse, bodyStart } from '../hidden/bodies.js';
import { foldArgument, foldExpression, type Env as FoldEnv, type Folded } from '../hidden/fold.js';
import type { BodyAnalysis } from '../hidden/plpgsql.js';
import type { Change, ChangeOf } from '../model/changes.js';
import { firstLocation, nodeType, type AnyNode } from '../model/nodes.js';
import { parseScript } from '../parse/script.js';
import { judge, type Env } from './judge.js';
import type { Frame } from './output.js';
import { Session } from './session.js';

const MAX_DEPTH = 8;
/** Languages whose bodies are machine code or built in: nothing hidden to judge. */
const OPAQUE_LANGUAGES = new Set(['c', 'internal']);

function deeper(env: Env, scratch = env.scratch, session = env.session): Env {
  return { ...env, depth: env.depth + 1, scratch, session, implicitTransaction: false };
}

function cannotSee(env: Env, frame: Frame, what: string, objects: string[] = []): void {
  env.out.add('dynamic-sql', frame, {
    objects,
    message: `${what}: tripwire cannot see what this runs, so it cannot tell what it destroys`,
    suggestion: 'Write the statements out as plain SQL, or build the EXECUTE string from constants only, so they can be judged.',
  });
}

/** A frame for line `line` of the script (1-based), or the parent's frame when the line is unknown. */
function lineFrame(env: Env, parent: Frame, line: number | undefined, via: string): Frame {
  if (line === undefined || line < 1) return { statement: parent.statement, span: parent.span, via };
  const start = env.out.map.lineStart(line);
  const text = env.out.map.lineText(line);
  const lead = text.length - text.trimStart().length;
  return { statement: parent.statement, span: env.out.span(start + lead, start + text.trimEnd().length), via };
}

/** Parses SQL text found inside something else and judges each statement in `frame`. */
function judgeText(env: Env, frame: Frame, sql: string, dynamic: boolean): void {
  const script = parseScript(sql);
  for (const item of script.items) {
    if (item.kind === 'statement') judge(env, frame, item.type, item.node);
    else if (item.kind === 'error' && dynamic) cannotSee(env, frame, `EXECUTE of a string that is not valid SQL (${item.message})`);
    else if (item.kind === 'error') env.out.add('syntax-error', frame, { objects: [], message: `${item.message}: nothing in this statement can be judged`, suggestion: 'Fix the syntax error.' });
  }
}

/** Judges what a PL/pgSQL body runs. `bodyLine` is the script line of the body's first line, when the body is in this script. */
function runBody(env: Env, parent: Frame, a: BodyAnalysis, via: string, bodyLine: number | undefined, bound: FoldEnv): void {
  const vars = new Map<string, Folded>(bound);
  for (const [k, v] of a.constants) vars.set(k, v);
  for (const st of a.statements) {
    const frame = lineFrame(env, parent, bodyLine === undefined ? undefined : bodyLine + st.line - 1, via);
    if (st.kind === 'sql') {
      judgeText(env, frame, st.sql, false);
      continue;
    }
    const value = foldExpression(st.expr, vars);
    if (typeof value === 'string') judgeText(env, { ...frame, via: `EXECUTE in the ${via}` }, value, true);
    else cannotSee(env, frame, `EXECUTE ${st.expr.trim()} in the ${via}`);
  }
}

function runDo(env: Env, frame: Frame, c: ChangeOf<'run-do'>): void {
  if (c.language !== 'plpgsql') return cannotSee(env, frame, `DO in language ${c.language}`);
  const at = frame.toChar ? bodyStart(env.out.map.text, frame.toChar(c.location)) : undefined;
  const a = analyse(c.body, [], 'void', false, new Map());
  if ('error' in a) return env.out.add('syntax-error', { ...frame, via: 'DO block' }, { objects: [], message: `${a.error}: the DO block cannot be judged`, suggestion: 'Fix the PL/pgSQL syntax error.' });
  runBody(deeper(env), frame, a, 'DO block', at === undefined ? undefined : env.out.map.lineCol(at).line, new Map());
}

/**
 * A routine's body, judged as it runs. At CREATE time the body is in this script: `inScript` is
 * true and `bodyLine` is the script line where the body starts, so findings land on their lines.
 */
function runRoutineBody(env: Env, frame: Frame, q: QName, r: RoutineEntry, bound: FoldEnv, inScript: boolean, bodyLine: number | undefined): void {
  const via = `${r.kind} ${displayName(q)}`;
  if (r.atomicBody) {
    for (const stmt of r.atomicBody) {
      const [type, node] = nodeType(stmt);
      const loc = firstLocation(node);
      const line = inScript && loc !== undefined && frame.toChar ? env.out.map.lineCol(frame.toChar(loc)).line : undefined;
      judge(env, lineFrame(env, frame, line, via), type, node);
    }
  } else if (r.body !== null && r.language === 'plpgsql') {
    const a = analyse(r.body, r.params, r.returns, r.kind === 'procedure', bound);
    if ('error' in a) return env.out.add('syntax-error', { ...frame, via }, { objects: [], message: `${a.error}: the body cannot be judged`, suggestion: 'Fix the PL/pgSQL syntax error.' });
    runBody(env, frame, a, via, bodyLine, bound);
  } else if (r.body !== null && r.language === 'sql') {
    const script = parseScript(r.body);
    for (const item of script.items) {
      const line = bodyLine === undefined ? undefined : bodyLine + script.map.lineCol(item.start).line - 1;
      const f = lineFrame(env, frame, line, via);
      if (item.kind === 'statement') judge(env, f, item.type, item.node);
      else if (item.kind === 'error') env.out.add('syntax-error', f, { objects: [], message: `${item.message}: the body cannot be judged`, suggestion: 'Fix the syntax error.' });
    }
  } else if (r.body !== null && !OPAQUE_LANGUAGES.has(r.language)) {
    cannotSee(env, frame, `${via} in language ${r.language}`);
  }
}

/** CREATE FUNCTION/PROCEDURE: the body does not run yet, so it is judged on a scratch copy of the session. */
function inspectCreated(env: Env, frame: Frame, c: ChangeOf<'create-routine'>): void {
  const asLocation = optionLocation(c.node, 'as');
  const at = asLocation !== undefined && frame.toChar ? bodyStart(env.out.map.text, frame.toChar(asLocation)) : undefined;
  const scratch = new Session(env.session.forkState(), 'file');
  runRoutineBody(deeper(env, true, scratch), frame, c.routine, c.entry, new Map(), true, at === undefined ? undefined : env.out.map.lineCol(at).line);
}

function optionLocation(node: AnyNode, name: string): number | undefined {
  for (const opt of (node.options as unknown[]) ?? []) {
    const [, d] = nodeType(opt);
    if (d.defname === name && typeof d.location === 'number') return d.location;
  }
  return undefined;
}

function runCall(env: Env, frame: Frame, c: ChangeOf<'call'>): void {
  const r = entry(entry(env.session.draft.catalog.schemas, c.routine.schema)?.routines, c.routine.name);
  if (!r) return;
  const bound = new Map<string, Folded>();
  c.args.forEach((arg, i) => {
    const v = foldArgument(arg);
    bound.set(`$${i + 1}`, v);
    if (r.params[i]) bound.set(r.params[i]!.toLowerCase(), v);
  });
  runRoutineBody(deeper(env), { statement: frame.statement, span: frame.span }, c.routine, r, bound, false, undefined);
}

function runPrepared(env: Env, frame: Frame, c: ChangeOf<'execute-prepared'>): void {
  const p = entry(env.session.prepared, c.name);
  if (!p) return;
  const [type, node] = nodeType(p.query);
  judge(deeper(env), { statement: frame.statement, span: frame.span, via: `prepared statement ${c.name}` }, type, node);
}

/** The hook the judge calls for statements that run other SQL. */
export function lookInside(env: Env, frame: Frame, change: Change): void {
  if (env.depth >= MAX_DEPTH) return cannotSee(env, frame, `SQL nested ${MAX_DEPTH} levels deep`);
  if (change.op === 'run-do') runDo(env, frame, change);
  else if (change.op === 'create-routine') inspectCreated(env, frame, change);
  else if (change.op === 'call') runCall(env, frame, change);
  else if (change.op === 'execute-prepared') runPrepared(env, frame, change);
}
