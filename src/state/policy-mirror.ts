/**
 * Policies uploaded to the state database, made visible to the proxy's PolicySource without a
 * restart and without changing how it loads policies: a private directory holds the base policy
 * (`--policy`, or the packaged default) as `00-base-*` and every uploaded policy as
 * `50-api-<name>.yaml`, so uploads merge after the base and win where they set the same keys.
 * Point PolicySource at `dir`; it watches and polls it. The mirror re-syncs on every `policy`
 * announcement, after a listener reconnect, and every `pollMs` (which also catches edits to the
 * base files).
 */
import { mkdtemp, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import type { Logger } from 'pino';
import { defaultPolicyPath, readPolicyFiles } from '../policy/index.js';
import type { StateEvents } from './events.js';
import { listPolicies } from './policies-store.js';
import type { StateDb } from './state-db.js';

export interface PolicyMirrorOptions {
  db: StateDb;
  events: StateEvents;
  /** `--policy FILE|DIR`; the packaged default when absent. */
  basePath?: string;
  logger: Logger;
  pollMs?: number;
}

export class PolicyMirror {
  private queue: Promise<boolean> = Promise.resolve(false);
  private timer: NodeJS.Timeout | undefined;
  private unsubscribe: () => void = () => undefined;
  private closed = false;

  private constructor(
    readonly dir: string,
    private readonly o: PolicyMirrorOptions,
  ) {}

  static async open(o: PolicyMirrorOptions): Promise<PolicyMirror> {
    const mirror = new PolicyMirror(await mkdtemp(join(tmpdir(), 'tripwire-policies-')), o);
    await mirror.sync();
    mirror.unsubscribe = o.events.subscribe((e) => {
      if (e.type === 'policy' || e.type === 'resync') void mirror.sync();
    });
    mirror.timer = setInterval(() => void mirror.sync(), o.pollMs ?? 2000);
    mirror.timer.unref();
    return mirror;
  }

  /** Rewrites the directory if anything differs; true when it changed. Syncs run one at a time. */
  sync(): Promise<boolean> {
    this.queue = this.queue.then(
      () => this.syncNow(),
      () => this.syncNow(),
    );
    return this.queue.catch((err: unknown) => {
      this.o.logger.error({ err: String(err) }, 'policy sync from the state database failed: keeping the policies in force');
      return false;
    });
  }

  private async wanted(): Promise<Map<string, string>> {
    const files = new Map<string, string>();
    const base = await readPolicyFiles(this.o.basePath ?? defaultPolicyPath());
    base.forEach((f, i) => files.set(`00-base-${String(i).padStart(3, '0')}-${basename(f.file).replace(/[^A-Za-z0-9._-]/g, '_')}`, f.text));
    // Names are checked at upload; a row written some other way never becomes a path outside the mirror.
    for (const p of await listPolicies(this.o.db)) if (/^[a-z0-9][a-z0-9_-]{0,62}$/.test(p.name)) files.set(`50-api-${p.name}.yaml`, p.body);
    return files;
  }

  private async syncNow(): Promise<boolean> {
    if (this.closed) return false;
    const wanted = await this.wanted();
    let changed = false;
    for (const name of await readdir(this.dir)) {
      if (!wanted.has(name)) {
        await rm(join(this.dir, name), { force: true });
        changed = true;
      }
    }
    for (const [name, text] of wanted) {
      const path = join(this.dir, name);
      const current = await readFile(path, 'utf8').catch(() => null);
      if (current === text) continue;
      // Hidden temporary name, then rename: a reader never sees half a file.
      const tmp = join(this.dir, `.${name}.tmp`);
      await writeFile(tmp, text, { mode: 0o600 });
      await rename(tmp, path);
      changed = true;
    }
    if (changed) this.o.logger.info({ dir: this.dir, files: [...wanted.keys()] }, 'policies synced from the state database');
    return changed;
  }

  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.timer);
    this.unsubscribe();
    await this.queue.catch(() => undefined);
    await rm(this.dir, { recursive: true, force: true });
  }
}
