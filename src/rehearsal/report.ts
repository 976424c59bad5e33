/** The rehearsal's verdict in words: a one-line summary and the readable report. Pure. */
import { shortName } from './names.js';
import type { RehearsalReport } from './types.js';

const n = (x: number) => x.toLocaleString('en-US');

type Body = Omit<RehearsalReport, 'state' | 'summary' | 'text'>;

function lossLine(l: RehearsalReport['losses'][number]): string {
  const after = l.after === 0 ? '0 after' : `${n(l.after)} after, changed`;
  return `${shortName(l.column)}: ${n(l.before)} values before, ${after}, found in no column`;
}

/** Red findings, most telling first; empty when the data survived. */
export function problems(r: Body): string[] {
  if (r.drift) return [`staging has drifted from production: ${r.drift.differences.length} difference${r.drift.differences.length === 1 ? '' : 's'}, first: ${r.drift.differences[0]}`];
  const out: string[] = [];
  if (r.failure) out.push(`migration ${r.failure.migration} failed on staging: ${r.failure.error}`);
  out.push(...r.losses.map(lossLine));
  out.push(...r.rowLosses.map((l) => `${shortName(l.table)}: ${n(l.before)} rows before, ${n(l.after)} after`));
  out.push(...r.uncovered.map((s) => `${s.sql} would be held in production, and the plan token does not cover it`));
  out.push(...r.constraints.problems.map((p) => `constraint ${p.constraint} on ${shortName(p.table)} is violated by existing rows: ${p.error}`));
  return out;
}

function greenSummary(r: Body): string {
  const parts: string[] = [];
  const kept = r.before.filter((t) => r.after.some((a) => a.table === t.table));
  if (kept.length) parts.push(`${kept.map((t) => `${n(t.rows)} rows in ${shortName(t.table)}`).join(', ')} kept`);
  parts.push(...r.moves.map((m) => `${shortName(m.from)} moved to ${shortName(m.to)} (${n(m.values)} values)`));
  parts.push(...r.discarded.map((d) => `${shortName(d.column)} discarded as declared (${n(d.values)} values)`));
  return `data survived: ${parts.length ? parts.join('; ') : 'the migrations touch no data'}`;
}

export function finish(body: Body): RehearsalReport {
  const red = problems(body);
  const state = red.length > 0 ? 'red' : 'green';
  const summary = red.length > 0 ? red[0]! : greenSummary(body);
  const lines = [`rehearsal on staging: ${state.toUpperCase()}: ${summary}`];
  if (body.fresh && typeof body.fresh === 'object' && 'text' in body.fresh) lines.push('fresh from production:', ...String((body.fresh as { text: unknown }).text).split('\n').filter(Boolean).map((l) => `  ${l}`));
  if (body.drift) {
    lines.push(`drift: production schema ${body.drift.productionFingerprint.slice(0, 12)}, staging ${body.drift.stagingFingerprint.slice(0, 12)}; nothing was run`);
    lines.push(...body.drift.differences.map((d) => `  ${d}`));
    lines.push('  rebuild staging from production (--fresh-from-production) and rehearse again');
    return { ...body, state, summary, text: lines.join('\n') };
  }
  lines.push('drift: none (staging has the production schema)');
  if (red.length > 1) lines.push('problems:', ...red.map((p) => `  ${p}`));
  if (body.statements.length) {
    lines.push('statements production would hold:');
    for (const s of body.statements) lines.push(`  ${s.covered ? 'covered  ' : 'UNCOVERED'} ${s.migration}: ${s.sql} (${s.rules.join(', ')})`);
  } else lines.push('statements production would hold: none');
  lines.push('tables:');
  const names = [...new Set([...body.before.map((t) => t.table), ...body.after.map((t) => t.table)])];
  for (const t of names) {
    const b = body.before.find((x) => x.table === t);
    const a = body.after.find((x) => x.table === t);
    lines.push(`  ${shortName(t)}: ${b ? `${n(b.rows)} rows before` : 'new'}, ${a ? `${n(a.rows)} after` : 'dropped'}`);
  }
  for (const m of body.moves) lines.push(`  moved: ${shortName(m.from)} → ${shortName(m.to)}: ${n(m.values)} values, same count and hash`);
  for (const d of body.discarded) lines.push(`  discarded: ${shortName(d.column)}: ${n(d.values)} values; the change says: ${d.reason}`);
  for (const l of body.losses) lines.push(`  LOST: ${lossLine(l)}`);
  lines.push(`constraints: ${body.constraints.checked} checked${body.constraints.problems.length ? `, ${body.constraints.problems.length} violated` : ', all valid'}`);
  lines.push(`took ${n(body.ms)} ms`);
  return { ...body, state, summary, text: lines.join('\n') };
}
