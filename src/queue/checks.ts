/**
 * The five checks of a change, each green, red or pending with a reason. Pure: everything they
 * need is in the change and its QueueContext. A change is released only when all five are green.
 */
import { createHash } from 'node:crypto';
import { orderCheck } from './order.js';
import { CHECK_NAMES, type Change, type ChangeRecords, type Check, type Checks, type QueueContext, type QueueSettings, type RehearsalRecord, type Review } from './types.js';

const short = (s: string) => s.slice(0, 12);

/** One checksum for all of a change's migrations: what a rehearsal is bound to. */
export function migrationsChecksum(change: Pick<Change, 'migrations'>): string {
  const h = createHash('sha256');
  for (const m of change.migrations) h.update(m.name).update('\0').update(m.checksum).update('\0');
  return h.digest('hex');
}

function blockFindings(change: Change) {
  return change.findings.filter((f) => f.severity === 'block' && f.rule !== 'syntax-error');
}

function approvers(reviews: readonly Review[]): string[] {
  return reviews.filter((r) => r.verdict === 'approve').map((r) => r.reviewer);
}

export function approvalsNeeded(change: Change, settings: QueueSettings): number {
  return blockFindings(change).length > 0 ? settings.approvals : 0;
}

export function approvalsCheck(change: Change, reviews: readonly Review[], settings: QueueSettings): Check {
  const rejected = reviews.filter((r) => r.verdict === 'reject');
  if (rejected.length > 0) return { state: 'red', reason: rejected.map((r) => `rejected by ${r.reviewer}${r.comment ? `: ${r.comment}` : ''}`).join('; ') };
  const names = approvers(reviews);
  const needed = approvalsNeeded(change, settings);
  const by = names.length > 0 ? ` (approved by ${names.join(', ')})` : '';
  if (needed === 0) return { state: 'green', reason: `no block findings: no approval needed${by}` };
  if (names.length >= needed) return { state: 'green', reason: `${names.length} of ${needed} approvals: ${names.join(', ')}` };
  const blocks = blockFindings(change).length;
  return { state: 'pending', reason: `${blocks} block finding${blocks === 1 ? '' : 's'}: needs ${needed} approval${needed === 1 ? '' : 's'}, has ${names.length}` };
}

export function lintCheck(change: Change, reviews: readonly Review[], settings: QueueSettings): Check {
  if (change.migrations.length === 0) return { state: 'green', reason: 'no migrations' };
  const syntax = change.findings.filter((f) => f.rule === 'syntax-error');
  if (syntax.length > 0) return { state: 'red', reason: syntax.map((f) => `${f.migration}:${f.line}: ${f.message}`).join('; ') };
  const blocks = blockFindings(change);
  const warns = change.findings.filter((f) => f.severity === 'warn').length;
  const tail = warns > 0 ? ` (${warns} warning${warns === 1 ? '' : 's'})` : '';
  if (blocks.length === 0) return { state: 'green', reason: `no block findings${tail}` };
  const names = approvers(reviews);
  const list = blocks.map((f) => `${f.rule} at ${f.migration}:${f.line}${f.objects.length ? ` (${f.objects.join(', ')})` : ''}`).join('; ');
  if (names.length >= settings.approvals && !reviews.some((r) => r.verdict === 'reject')) return { state: 'green', reason: `${blocks.length} block finding${blocks.length === 1 ? '' : 's'} covered by the approval of ${names.join(', ')}: ${list}` };
  return { state: 'red', reason: `${blocks.length} block finding${blocks.length === 1 ? '' : 's'} not covered by an approval: ${list}` };
}

export function rehearsalCheck(change: Change, r: RehearsalRecord | null, settings: QueueSettings): Check {
  if (change.migrations.length === 0) return { state: 'green', reason: 'no migrations to rehearse' };
  if (r) {
    if (r.checksum !== migrationsChecksum(change)) return { state: 'pending', reason: 'the migrations changed since they were rehearsed: rehearse again' };
    return { state: r.state, reason: r.reason };
  }
  if (!settings.requireRehearsal) return { state: 'green', reason: 'not rehearsed: tripwire runs with --skip-rehearsal, so no staging rehearsal is required' };
  if (!settings.stagingTargets.includes(change.target)) {
    return { state: 'pending', reason: `not rehearsed: no staging database is configured for ${change.target} (start tripwire with --staging ${change.target}=<staging URL>)` };
  }
  return { state: 'pending', reason: `not rehearsed on staging yet: tripwire rehearse ${change.id} (POST /api/changes/${change.id}/rehearse)` };
}

/** What moved under a change: its base revision, the live schema, or migrations already applied. */
export function freshnessCheck(change: Change, ctx: QueueContext): Check {
  const problems: string[] = [];
  const d = ctx.lastDeploy;
  if (!d) return { state: 'pending', reason: `no deploy is recorded for ${change.target}: record the live revision first (POST /api/deploys)` };
  if (change.baseRevision !== d.revision) problems.push(`built on ${short(change.baseRevision)}, but ${short(d.revision)} is live`);
  if (change.migrations.length > 0 && change.baseFingerprint !== ctx.liveFingerprint) {
    const mover = ctx.changes.find((c) => c !== change && c.appliedFingerprint === ctx.liveFingerprint);
    problems.push(`linted against schema ${short(change.baseFingerprint)}, but the live schema is ${short(ctx.liveFingerprint)}${mover ? ` since #${mover.id} (${mover.title}) was applied` : ''}`);
  }
  const applied = new Map(ctx.applied.map((a) => [a.name, a]));
  const mine = new Map(change.migrations.map((m) => [m.name, m]));
  for (const m of change.migrations) {
    const a = applied.get(m.name);
    if (a && a.checksum !== m.checksum) problems.push(`modifies migration ${m.name}, already applied${a.changeId ? ` by #${a.changeId}` : ''}`);
  }
  // A change that carries applied migrations carries the whole history: one missing was removed.
  if (change.migrations.some((m) => applied.get(m.name)?.checksum === m.checksum)) {
    for (const a of ctx.applied) if (!mine.has(a.name)) problems.push(`removes migration ${a.name}, already applied`);
  }
  if (problems.length > 0) return { state: 'red', reason: `${problems.join('; ')}: rebase on the live revision and resubmit` };
  return { state: 'green', reason: `built on the live revision ${short(d.revision)}${change.migrations.length > 0 ? ` and schema ${short(ctx.liveFingerprint)}` : ''}` };
}

export function evaluate(change: Change, ctx: QueueContext, records: ChangeRecords, settings: QueueSettings): Checks {
  return {
    lint: lintCheck(change, records.reviews, settings),
    rehearsal: rehearsalCheck(change, records.rehearsal, settings),
    approvals: approvalsCheck(change, records.reviews, settings),
    order: orderCheck(change, ctx),
    freshness: freshnessCheck(change, ctx),
  };
}

export function allGreen(checks: Checks): boolean {
  return CHECK_NAMES.every((n) => checks[n].state === 'green');
}
