/**
 * Bringing a target's queue in line with what is live, inside its queue lock: released changes
 * whose migrations ran become `applied` (the proxy used up their plan token, or the live catalog
 * shows their effect); changes whose base moved become `needs-rebase` (and their tokens are
 * revoked); changes whose base is live again go back to `queued`.
 */
import { announce } from '../state/events.js';
import type { Queryable } from '../state/state-db.js';
import { freshnessCheck } from './checks.js';
import { effectVisible } from './effect.js';
import type { LiveTarget } from './live.js';
import { appliedMigrations, changesOn, lastDeploy, recordAppliedMigrations, setStatus } from './store.js';
import { revokeTokens, usedUpChanges } from './token-store.js';
import type { ChangeStatus, QueueContext } from './types.js';

export interface Transition {
  id: number;
  title: string;
  from: ChangeStatus;
  to: ChangeStatus;
  reason: string;
}

export async function loadContext(c: Queryable, target: string, live: LiveTarget): Promise<QueueContext> {
  return {
    changes: await changesOn(c, target),
    applied: await appliedMigrations(c, target),
    lastDeploy: await lastDeploy(c, target),
    liveFingerprint: live.fingerprint,
    liveObjects: live.objects,
  };
}

async function startedChanges(c: Queryable, target: string): Promise<Set<number>> {
  const { rows } = await c.query<{ change_id: string }>(
    'SELECT DISTINCT t.change_id FROM tripwire.plan_tokens t JOIN tripwire.token_uses u ON u.token_id = t.id WHERE t.target = $1',
    [target],
  );
  return new Set(rows.map((r) => Number(r.change_id)));
}

/** Call with the target's queue lock held (StateDb.txForTarget). */
export async function reconcile(c: Queryable, target: string, live: LiveTarget): Promise<Transition[]> {
  const out: Transition[] = [];
  const usedUp = await usedUpChanges(c, target);
  let ctx = await loadContext(c, target, live);
  for (const ch of ctx.changes) {
    if (ch.status !== 'released' || ch.migrations.length === 0) continue;
    const how = usedUp.has(ch.id) ? 'the proxy let every statement of its plan token through' : effectVisible(ch.effect, live.objects) ? 'the live catalog shows its effect' : null;
    if (!how) continue;
    const reason = `applied: ${how}; the live schema is now ${live.fingerprint.slice(0, 12)}`;
    await setStatus(c, ch.id, 'applied', reason, { appliedFingerprint: live.fingerprint });
    await recordAppliedMigrations(c, ch);
    await revokeTokens(c, [ch.id], 'applied');
    await announce(c, { type: 'applied', target, changeId: ch.id });
    out.push({ id: ch.id, title: ch.title, from: ch.status, to: 'applied', reason });
  }
  if (out.length > 0) ctx = await loadContext(c, target, live);
  const started = await startedChanges(c, target);
  const revoked: number[] = [];
  for (const ch of ctx.changes) {
    if (ch.status !== 'queued' && ch.status !== 'released' && ch.status !== 'needs-rebase') continue;
    // A released change whose token is in use is running now: its own statements move the schema.
    if (ch.status === 'released' && started.has(ch.id)) continue;
    const fresh = freshnessCheck(ch, ctx);
    if (fresh.state === 'red' && ch.status !== 'needs-rebase') {
      await setStatus(c, ch.id, 'needs-rebase', fresh.reason);
      if (ch.status === 'released') revoked.push(ch.id);
      out.push({ id: ch.id, title: ch.title, from: ch.status, to: 'needs-rebase', reason: fresh.reason });
    } else if (fresh.state !== 'red' && ch.status === 'needs-rebase') {
      await setStatus(c, ch.id, 'queued', 'its base is live again');
      out.push({ id: ch.id, title: ch.title, from: ch.status, to: 'queued', reason: 'its base is live again' });
    }
  }
  if (revoked.length > 0) {
    await revokeTokens(c, revoked, 'needs rebase: the live base moved');
    await announce(c, { type: 'revoke', target, changeIds: revoked });
  }
  return out;
}
