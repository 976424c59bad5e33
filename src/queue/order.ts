/**
 * Order: schema before the code that reads it, and code that stops reading a column before the
 * migration that drops it. The `order` check of one change, and the release plan of a target.
 */
import { touches } from './effect.js';
import { ACTIVE, type Change, type Check, type QueueContext } from './types.js';

const short = (rev: string) => rev.slice(0, 12);
const label = (c: Change) => `#${c.id} (${c.title})`;

/** Finished: a schema change's migrations ran; a code change is live. */
export function isDone(c: Change): boolean {
  return c.kind === 'schema' ? c.status === 'applied' || c.status === 'deployed' : c.status === 'deployed';
}

function waitingFor(c: Change): string {
  return c.kind === 'schema' ? 'not applied yet' : 'not deployed yet';
}

/** The code that is live on the target: the deployed code change the last deploy names. */
export function liveCode(ctx: QueueContext): Change | null {
  const d = ctx.lastDeploy;
  if (!d) return null;
  const live = ctx.changes.filter((c) => c.kind !== 'schema' && (c.revision === d.revision || d.changes.includes(c.id)));
  return live.sort((a, b) => b.id - a.id)[0] ?? null;
}

/** Code that reads `object` now or is about to: the live code, and released code changes not yet deployed. */
function readersOf(object: string, ctx: QueueContext, self: Change): Array<{ change: Change; how: string }> {
  const out: Array<{ change: Change; how: string }> = [];
  const live = liveCode(ctx);
  if (live && live.reads.some((r) => touches(r, object))) out.push({ change: live, how: `the live code (${label(live)}, revision ${short(live.revision)})` });
  for (const c of ctx.changes) {
    if (c === self || c === live || c.kind === 'schema' || c.status !== 'released') continue;
    if (c.reads.some((r) => touches(r, object))) out.push({ change: c, how: `${label(c)}, released and not yet deployed,` });
  }
  return out;
}

/** Active changes other than `self` whose migrations create something `read` touches. */
function creatorsOf(read: string, ctx: QueueContext, self: Change): Change[] {
  return ctx.changes.filter((c) => c !== self && ACTIVE.has(c.status) && c.effect.created.some((o) => touches(read, o)));
}

export function orderCheck(change: Change, ctx: QueueContext): Check {
  const problems: string[] = [];
  const after: string[] = [];
  const byId = new Map(ctx.changes.map((c) => [c.id, c]));
  for (const id of change.dependsOn) {
    const dep = byId.get(id);
    if (!dep) problems.push(`depends on #${id}, which is not in ${change.target}'s queue`);
    else if (dep.status === 'rejected' || dep.status === 'superseded') problems.push(`depends on ${label(dep)}, which was ${dep.status}`);
    else if (!isDone(dep)) problems.push(`depends on ${label(dep)}, which is ${waitingFor(dep)}`);
    else after.push(`#${dep.id}`);
  }
  const applied = new Set(ctx.applied.map((a) => a.name));
  for (const name of change.requires) {
    if (applied.has(name)) continue;
    const carrier = ctx.changes.find((c) => c !== change && ACTIVE.has(c.status) && c.migrations.some((m) => m.name === name));
    problems.push(`requires migration ${name}, which is not applied${carrier ? ` (${label(carrier)} carries it)` : ''}`);
  }
  if (change.kind !== 'schema') {
    for (const read of change.reads) {
      const creators = creatorsOf(read, ctx, change);
      if (creators.length > 0) problems.push(`reads ${read}, which ${creators.map(label).join(' and ')} creates and is not applied yet`);
      else if (!ctx.liveObjects.has(read) && !change.effect.created.some((o) => touches(read, o))) problems.push(`reads ${read}, which does not exist in ${change.target}`);
    }
  }
  for (const object of change.effect.removed) {
    for (const r of readersOf(object, ctx, change)) {
      problems.push(`drops ${object}, which ${r.how} reads: deploy the code that stops reading it first`);
    }
  }
  if (problems.length > 0) return { state: 'red', reason: problems.join('; ') };
  return { state: 'green', reason: after.length > 0 ? `after ${after.join(', ')}, which are done` : 'nothing it needs is missing, and no live code reads what it removes' };
}

export interface PlanEntry {
  position: number;
  id: number;
  title: string;
  kind: Change['kind'];
  status: Change['status'];
  /** Changes that must go first. */
  after: number[];
  reason: string;
}

interface Edge {
  from: Change;
  to: Change;
  reason: string;
}

function edges(ctx: QueueContext, active: Change[]): Edge[] {
  const out: Edge[] = [];
  const inPlan = new Set(active);
  for (const c of active) {
    for (const id of c.dependsOn) {
      const dep = active.find((d) => d.id === id);
      if (dep) out.push({ from: dep, to: c, reason: `#${c.id} depends on #${dep.id}` });
    }
    if (c.kind !== 'schema') {
      for (const name of c.requires) {
        for (const s of active) if (s !== c && s.migrations.some((m) => m.name === name)) out.push({ from: s, to: c, reason: `schema before the code that reads it: #${c.id} requires migration ${name}, which #${s.id} carries` });
      }
      for (const read of c.reads) {
        for (const s of creatorsOf(read, ctx, c)) if (inPlan.has(s)) out.push({ from: s, to: c, reason: `schema before the code that reads it: #${c.id} reads ${read}, which #${s.id} creates` });
      }
    }
    for (const object of c.effect.removed) {
      if (readersOf(object, ctx, c).length === 0) continue;
      for (const code of active) {
        if (code === c || code.kind === 'schema' || code.reads.length === 0 || code.reads.some((r) => touches(r, object))) continue;
        out.push({ from: code, to: c, reason: `code that stops reading ${object} (#${code.id}) ships before #${c.id} drops it` });
      }
    }
  }
  return out;
}

/** The release order of one target's active changes, with the reason for each position. */
export function planOrder(ctx: QueueContext): PlanEntry[] {
  const active = ctx.changes.filter((c) => ACTIVE.has(c.status)).sort((a, b) => a.id - b.id);
  const all = edges(ctx, active);
  const incoming = new Map(active.map((c) => [c, all.filter((e) => e.to === c)]));
  const placed = new Set<Change>();
  const order: PlanEntry[] = [];
  const place = (c: Change, reason: string) => {
    placed.add(c);
    const after = [...new Set(incoming.get(c)!.map((e) => e.from.id))];
    order.push({ position: order.length + 1, id: c.id, title: c.title, kind: c.kind, status: c.status, after, reason });
  };
  while (placed.size < active.length) {
    const ready = active.find((c) => !placed.has(c) && incoming.get(c)!.every((e) => placed.has(e.from)));
    if (!ready) {
      const stuck = active.filter((c) => !placed.has(c));
      for (const c of stuck) place(c, `in a dependency cycle with ${stuck.filter((x) => x !== c).map((x) => `#${x.id}`).join(', ')}: ${incoming.get(c)!.map((e) => e.reason).join('; ')}`);
      break;
    }
    const reasons = [...new Set(incoming.get(ready)!.map((e) => e.reason))];
    place(ready, reasons.length > 0 ? reasons.join('; ') : 'nothing it needs is ahead of it: in submission order');
  }
  return order;
}
