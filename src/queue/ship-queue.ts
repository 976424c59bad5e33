/**
 * The ship queue's operations, as the admin API calls them. Every change to a target's queue runs
 * in one state transaction under that target's advisory lock, so several tripwire instances can
 * share the queue; announcements go out when it commits.
 */
import type { Logger } from 'pino';
import type { CatalogCache } from '../catalog/catalog-cache.js';
import { TripwireError } from '../errors.js';
import type { Role } from '../state/api-keys.js';
import { announce } from '../state/events.js';
import type { Queryable, StateDb } from '../state/state-db.js';
import { allGreen, evaluate } from './checks.js';
import { lintChange, withChecksums } from './lint-change.js';
import { readLive, type LiveTarget } from './live.js';
import { planOrder, type PlanEntry } from './order.js';
import { loadContext, reconcile, type Transition } from './reconcile.js';
import type { PlanSigner } from './signer.js';
import * as store from './store.js';
import { insertToken, revokeTokens, tokenOfChange } from './token-store.js';
import { ACTIVE, DEFAULT_QUEUE_SETTINGS, type Change, type ChangeKind, type Discard, type Checks, type Deploy, type QueueContext, type QueueSettings, type Review } from './types.js';

export interface Actor {
  keyId: string;
  name: string;
  role: Role;
}

export interface SubmitInput {
  title: string;
  author: string;
  revision: string;
  baseRevision: string;
  kind: ChangeKind;
  target: string;
  migrations: Array<{ name: string; sql: string }>;
  dependsOn?: number[];
  requires?: string[];
  reads?: string[];
  discards?: Discard[];
  supersedes?: number;
}

export interface DeployInput {
  target: string;
  revision: string;
  schemaFingerprint?: string;
  changes?: number[];
}

export interface ChangeView {
  change: Change;
  /** Null once the change has left the queue (applied, deployed, superseded). */
  checks: Checks | null;
  ready: boolean;
  reviews: Review[];
  token: { id: string; expiresAt: string; statements: number } | null;
}

export interface ReleaseResult extends ChangeView {
  /** The plan token itself (null when the change has no destructive statements). */
  planToken: string | null;
}

export interface ShipQueueOptions {
  db: StateDb;
  catalogs: CatalogCache;
  settings?: Partial<QueueSettings>;
  signer?: PlanSigner | null;
  logger: Logger;
}

const bad = (detail: string) => new TripwireError('TW_API_BAD_REQUEST', { detail });
const conflict = (detail: string) => new TripwireError('TW_API_CONFLICT', { detail });
const notFound = (id: number) => new TripwireError('TW_API_NOT_FOUND', { what: `change ${id}` });

export class ShipQueue {
  readonly settings: QueueSettings;
  private readonly db: StateDb;

  constructor(private readonly o: ShipQueueOptions) {
    this.db = o.db;
    this.settings = { ...DEFAULT_QUEUE_SETTINGS, ...o.settings };
  }

  private async view(c: Queryable, ch: Change, ctx: QueueContext): Promise<ChangeView> {
    const reviews = await store.reviewsOf(c, ch.id);
    const token = await tokenOfChange(c, ch.id);
    const open = ACTIVE.has(ch.status) || ch.status === 'rejected';
    const checks = open ? evaluate(ch, ctx, { reviews, rehearsal: await store.latestRehearsal(c, ch.id) }, this.settings) : null;
    return {
      change: ch,
      checks,
      ready: checks !== null && allGreen(checks) && ch.status !== 'rejected',
      reviews,
      token: token ? { id: token.id, expiresAt: token.expiresAt, statements: token.statements.length } : null,
    };
  }

  /** Reconciles the target, then runs `fn` with its fresh context, all under its queue lock. */
  private async onTarget<T>(target: string, fn: (c: Queryable, ctx: QueueContext, live: LiveTarget, moved: Transition[]) => Promise<T>): Promise<T> {
    const live = await readLive(this.o.catalogs, target);
    return this.db.txForTarget(target, async (c) => {
      const moved = await reconcile(c, target, live);
      return fn(c, await loadContext(c, target, live), live, moved);
    });
  }

  private async targetOf(id: number): Promise<string> {
    const ch = await store.getChange(this.db.pool, id);
    if (!ch) throw notFound(id);
    return ch.target;
  }

  async submit(input: SubmitInput, actor: Actor): Promise<ChangeView> {
    if (input.kind === 'schema' && input.migrations.length === 0) throw bad('migrations: a schema change carries at least one migration');
    if (input.kind === 'code' && input.migrations.length > 0) throw bad('migrations: a code change carries no migrations (use kind "both")');
    const names = new Set<string>();
    for (const [i, m] of input.migrations.entries()) {
      if (names.has(m.name)) throw bad(`migrations/${i}/name: ${JSON.stringify(m.name)} appears twice`);
      names.add(m.name);
    }
    const migrations = withChecksums(input.migrations);
    const live = await readLive(this.o.catalogs, input.target);
    const linted = lintChange(migrations, live.catalog);
    return this.db.txForTarget(input.target, async (c) => {
      for (const [i, id] of (input.dependsOn ?? []).entries()) {
        const dep = await store.getChange(c, id);
        if (!dep || dep.target !== input.target) throw bad(`dependsOn/${i}: change ${id} is not in ${input.target}'s queue`);
      }
      if (input.supersedes !== undefined) {
        const old = await store.getChange(c, input.supersedes, true);
        if (!old || old.target !== input.target) throw bad(`supersedes: change ${input.supersedes} is not in ${input.target}'s queue`);
        if (!ACTIVE.has(old.status) && old.status !== 'rejected') throw conflict(`change ${old.id} is ${old.status}: it cannot be superseded`);
      }
      const ch = await store.insertChange(c, {
        title: input.title,
        author: input.author,
        submittedBy: actor.name,
        revision: input.revision,
        baseRevision: input.baseRevision,
        kind: input.kind,
        target: input.target,
        migrations,
        dependsOn: input.dependsOn ?? [],
        requires: input.requires ?? [],
        reads: input.reads ?? [],
        discards: input.discards ?? [],
        supersedes: input.supersedes ?? null,
        baseFingerprint: live.fingerprint,
        ...linted,
      });
      if (input.supersedes !== undefined) {
        await store.setStatus(c, input.supersedes, 'superseded', `resubmitted as #${ch.id}`);
        await revokeTokens(c, [input.supersedes], `superseded by #${ch.id}`);
      }
      await reconcile(c, input.target, live);
      await announce(c, { type: 'change', target: input.target, changeId: ch.id });
      this.o.logger.info({ change: ch.id, target: ch.target, by: actor.name }, 'change submitted');
      return this.view(c, (await store.getChange(c, ch.id))!, await loadContext(c, input.target, live));
    });
  }

  async get(id: number): Promise<ChangeView> {
    return this.onTarget(await this.targetOf(id), async (c, ctx) => this.view(c, (await store.getChange(c, id))!, ctx));
  }

  async list(filter: { target?: string; status?: Change['status'] }): Promise<Change[]> {
    return store.listChanges(this.db.pool, filter);
  }

  async review(id: number, actor: Actor, verdict: Review['verdict'], comment: string): Promise<ChangeView> {
    return this.onTarget(await this.targetOf(id), async (c, _ctx, live) => {
      const ch = (await store.getChange(c, id, true))!;
      const me = actor.name.toLowerCase();
      if (ch.author.toLowerCase() === me || ch.submittedBy.toLowerCase() === me) throw new TripwireError('TW_API_FOUR_EYES', { reviewer: actor.name, id });
      if (!ACTIVE.has(ch.status) && ch.status !== 'rejected') throw conflict(`change ${id} is ${ch.status}: it can no longer be reviewed`);
      await store.putReview(c, id, actor.name, actor.keyId, verdict, comment);
      const reviews = await store.reviewsOf(c, id);
      if (verdict === 'reject') {
        await store.setStatus(c, id, 'rejected', `rejected by ${actor.name}${comment ? `: ${comment}` : ''}`);
        if (ch.status === 'released') await revokeTokens(c, [id], `rejected by ${actor.name}`);
      } else if (ch.status === 'rejected' && !reviews.some((r) => r.verdict === 'reject')) {
        await store.setStatus(c, id, 'queued', `approved by ${actor.name}`);
      }
      await announce(c, { type: 'change', target: ch.target, changeId: id });
      return this.view(c, (await store.getChange(c, id))!, await loadContext(c, ch.target, live));
    });
  }

  async release(id: number, actor: Actor): Promise<ReleaseResult> {
    return this.onTarget(await this.targetOf(id), async (c, ctx, live) => {
      const ch = (await store.getChange(c, id, true))!;
      if (ch.status === 'released') {
        const token = await tokenOfChange(c, id);
        return { ...(await this.view(c, ch, ctx)), planToken: token?.token ?? null };
      }
      const current = await this.view(c, ch, ctx);
      if (ch.status !== 'queued' && ch.status !== 'needs-rebase') throw conflict(`change ${id} is ${ch.status}: only a queued change can be released`);
      if (!current.ready) {
        const red = Object.entries(current.checks!).filter(([, v]) => v.state !== 'green').map(([k, v]) => `${k} is ${v.state}: ${v.reason}`);
        throw new TripwireError('TW_RELEASE_REFUSED', { id, detail: red.join('; '), details: { status: ch.status, checks: current.checks } });
      }
      let planToken: string | null = null;
      if (ch.destructive.length > 0) {
        const signer = this.o.signer;
        if (!signer) throw new TripwireError('TW_NO_SIGNING_KEY', { id });
        const signed = await signer.sign({ database: ch.target, schemaFingerprint: live.fingerprint, statements: ch.destructive.map((d) => d.sql), change: String(id) });
        await insertToken(c, {
          id: signed.id,
          changeId: id,
          target: ch.target,
          schemaFingerprint: live.fingerprint,
          statements: signed.statements,
          token: signed.token,
          expiresAt: signed.expiresAt.toISOString(),
        });
        planToken = signed.token;
      }
      await store.setStatus(c, id, 'released', `released by ${actor.name}${planToken ? '; its plan token is published to the proxies' : ''}`);
      await announce(c, { type: 'release', target: ch.target, changeId: id });
      this.o.logger.info({ change: id, target: ch.target, by: actor.name, token: planToken !== null }, 'change released');
      return { ...(await this.view(c, (await store.getChange(c, id))!, await loadContext(c, ch.target, live))), planToken };
    });
  }

  /** Records that a released change's migrations ran (for runners the proxy cannot see finish). */
  async markApplied(id: number, actor: Actor): Promise<ChangeView> {
    return this.onTarget(await this.targetOf(id), async (c, _ctx, live) => {
      const ch = (await store.getChange(c, id, true))!;
      if (ch.status !== 'released' && ch.status !== 'applied') throw conflict(`change ${id} is ${ch.status}: only a released change can be applied`);
      if (ch.status === 'released') {
        if (ch.migrations.length === 0) throw conflict(`change ${id} has no migrations to apply: record its deploy instead`);
        await store.setStatus(c, id, 'applied', `applied, as ${actor.name} recorded; the live schema is now ${live.fingerprint.slice(0, 12)}`, { appliedFingerprint: live.fingerprint });
        await store.recordAppliedMigrations(c, ch);
        await revokeTokens(c, [id], 'applied');
        await announce(c, { type: 'applied', target: ch.target, changeId: id });
        await reconcile(c, ch.target, live);
      }
      return this.view(c, (await store.getChange(c, id))!, await loadContext(c, ch.target, live));
    });
  }

  async deploy(input: DeployInput, actor: Actor): Promise<{ deploy: Deploy; moved: Record<string, { from: string | null; to: string }>; transitions: Transition[] }> {
    const live = await readLive(this.o.catalogs, input.target);
    if (input.schemaFingerprint !== undefined && input.schemaFingerprint !== live.fingerprint) {
      throw conflict(`schemaFingerprint: the live schema of ${input.target} is ${live.fingerprint}, not ${input.schemaFingerprint}`);
    }
    return this.db.txForTarget(input.target, async (c) => {
      const before = await store.lastDeploy(c, input.target);
      for (const [i, id] of (input.changes ?? []).entries()) {
        const ch = await store.getChange(c, id);
        if (!ch || ch.target !== input.target) throw bad(`changes/${i}: change ${id} is not in ${input.target}'s queue`);
      }
      const deploy = await store.insertDeploy(c, { target: input.target, revision: input.revision, schemaFingerprint: live.fingerprint, changes: input.changes ?? [], recordedBy: actor.name });
      const transitions: Transition[] = [];
      for (const ch of await store.changesOn(c, input.target)) {
        if (ch.kind === 'schema' || ch.status === 'deployed' || ch.status === 'superseded' || ch.status === 'rejected') continue;
        if (ch.revision !== input.revision && !deploy.changes.includes(ch.id)) continue;
        const reason = ch.status === 'released' || ch.status === 'applied' ? `deployed in revision ${input.revision.slice(0, 12)}` : `deployed in revision ${input.revision.slice(0, 12)} before it was released`;
        await store.setStatus(c, ch.id, 'deployed', reason);
        transitions.push({ id: ch.id, title: ch.title, from: ch.status, to: 'deployed', reason });
      }
      transitions.push(...(await reconcile(c, input.target, live)));
      await announce(c, { type: 'deploy', target: input.target });
      const moved: Record<string, { from: string | null; to: string }> = {};
      if (before?.revision !== deploy.revision) moved.revision = { from: before?.revision ?? null, to: deploy.revision };
      if (before?.schemaFingerprint !== deploy.schemaFingerprint) moved.schema = { from: before?.schemaFingerprint ?? null, to: deploy.schemaFingerprint };
      return { deploy, moved, transitions };
    });
  }

  /** The release order per target (every target with active changes, or the one given). */
  async plan(target?: string): Promise<Array<{ target: string; order: Array<PlanEntry & { ready: boolean; checks: Checks }> }>> {
    const names = target ? [target] : await store.targets(this.db.pool);
    const out = [];
    for (const name of names) {
      const order = await this.onTarget(name, async (c, ctx) => {
        const entries = [];
        for (const e of planOrder(ctx)) {
          const v = await this.view(c, ctx.changes.find((x) => x.id === e.id)!, ctx);
          entries.push({ ...e, ready: v.ready, checks: v.checks! });
        }
        return entries;
      });
      out.push({ target: name, order });
    }
    return out;
  }
}
