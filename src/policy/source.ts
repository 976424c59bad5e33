/**
 * The policy in force, loaded at start and hot-reloaded. `fs.watch` on the file's directory (or on
 * the policy directory) triggers a debounced reload; a poll does the same in case watching is
 * unreliable (network filesystems, editors that replace files, a watched directory that was
 * recreated). A reload that cannot read or validate the files keeps the last good policy and
 * reports why, once per distinct content.
 */
import { watch, type FSWatcher } from 'node:fs';
import { dirname } from 'node:path';
import type { Logger } from 'pino';
import { TripwireError } from '../errors.js';
import { digestFiles, formatIssue, PolicyError, policyFromFiles, readPolicyFiles } from './load.js';
import { defaultPolicyPath } from './schema.js';
import type { Policy } from './types.js';

export interface PolicyListener {
  /** A new valid policy is in force. */
  onChange?(policy: Policy, previous: Policy): void;
  /** A reload failed (PolicyError, or TW_POLICY_UNREADABLE); the previous policy stays in force. */
  onError?(error: TripwireError): void;
}

export interface PolicySourceOptions extends PolicyListener {
  /** `--policy FILE|DIR`. Without it, policies/default.yaml from the package, not watched. */
  readonly path?: string;
  readonly logger?: Logger;
  /** Watch and poll for changes. Default: true when `path` is given. */
  readonly watch?: boolean;
  /** Quiet time after a change event before reloading. Default 100 ms. */
  readonly debounceMs?: number;
  /** How often to look for changes regardless of watch events. Default 2000 ms; 0 turns polling off. */
  readonly pollIntervalMs?: number;
  /** Use fs.watch as well as polling. Default true; false polls only (for filesystems where watching misleads). */
  readonly fsWatch?: boolean;
}

export type ReloadOutcome = 'changed' | 'unchanged' | 'failed';

export class PolicySource {
  readonly path: string;
  private policy: Policy;
  private digest: string;
  private failed: string | undefined;
  private readonly listeners = new Set<PolicyListener>();
  private readonly logger: Logger | undefined;
  private readonly debounceMs: number;
  private watcher: FSWatcher | undefined;
  private debounce: NodeJS.Timeout | undefined;
  private poll: NodeJS.Timeout | undefined;
  private queue: Promise<ReloadOutcome> = Promise.resolve('unchanged');
  private closed = false;

  private constructor(path: string, policy: Policy, digest: string, opts: PolicySourceOptions) {
    this.path = path;
    this.policy = policy;
    this.digest = digest;
    this.logger = opts.logger;
    this.debounceMs = opts.debounceMs ?? 100;
    if (opts.onChange || opts.onError) this.listeners.add({ onChange: opts.onChange, onError: opts.onError });
  }

  /** Loads the policy; throws PolicyError (every problem) or TW_POLICY_UNREADABLE. The CLI prints it and exits 2. */
  static async open(opts: PolicySourceOptions = {}): Promise<PolicySource> {
    const path = opts.path ?? defaultPolicyPath();
    const files = await readPolicyFiles(path);
    const source = new PolicySource(path, policyFromFiles(files, path), digestFiles(files), opts);
    opts.logger?.info({ policy: path, mode: source.policy.mode, files: source.policy.sources }, 'policy loaded');
    if (opts.watch ?? opts.path !== undefined) source.startWatching(opts.fsWatch ?? true, opts.pollIntervalMs ?? 2000);
    return source;
  }

  /** The policy in force. Cheap: read it for every decision. */
  current(): Policy {
    return this.policy;
  }

  subscribe(listener: PolicyListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Reads the files now; reloads run one at a time, in order. */
  reload(): Promise<ReloadOutcome> {
    this.queue = this.queue
      .then(() => this.reloadNow())
      .catch((err: unknown) => {
        this.logger?.error({ policy: this.path, err: String(err) }, 'policy reload failed: keeping the last good policy');
        return 'failed' as const;
      });
    return this.queue;
  }

  close(): void {
    this.closed = true;
    this.watcher?.close();
    this.watcher = undefined;
    clearTimeout(this.debounce);
    clearInterval(this.poll);
    this.listeners.clear();
  }

  private async reloadNow(): Promise<ReloadOutcome> {
    if (this.closed) return 'unchanged';
    let files;
    try {
      files = await readPolicyFiles(this.path);
    } catch (err) {
      return this.fail(err as TripwireError, `unreadable:${(err as Error).message}`);
    }
    const digest = digestFiles(files);
    if (digest === this.digest) {
      this.failed = undefined;
      return 'unchanged';
    }
    let next: Policy;
    try {
      next = policyFromFiles(files, this.path);
    } catch (err) {
      return this.fail(err as TripwireError, digest);
    }
    const previous = this.policy;
    this.policy = next;
    this.digest = digest;
    this.failed = undefined;
    this.logger?.info({ policy: this.path, mode: next.mode, files: next.sources }, 'policy reloaded');
    this.notify((l) => l.onChange?.(next, previous));
    return 'changed';
  }

  private fail(err: TripwireError, key: string): ReloadOutcome {
    if (this.failed === key) return 'failed';
    this.failed = key;
    const problems = err instanceof PolicyError ? err.issues.map(formatIssue) : [err.message];
    this.logger?.error({ policy: this.path, code: err.code, problems }, 'policy reload failed: keeping the last good policy');
    this.notify((l) => l.onError?.(err));
    return 'failed';
  }

  private notify(call: (l: PolicyListener) => void): void {
    for (const l of this.listeners) {
      try {
        call(l);
      } catch (err) {
        this.logger?.error({ err: String(err) }, 'policy listener threw');
      }
    }
  }

  private schedule(): void {
    if (this.closed) return;
    clearTimeout(this.debounce);
    this.debounce = setTimeout(() => void this.reload(), this.debounceMs);
    this.debounce.unref();
  }

  /** Watches the policy directory (or the file's directory: editors replace files by renaming). */
  private watchNow(): void {
    if (this.watcher || this.closed) return;
    const target = this.policy.sources.length === 1 && this.policy.sources[0] === this.path ? dirname(this.path) : this.path;
    try {
      const w = watch(target, { persistent: false }, () => this.schedule());
      w.on('error', () => {
        w.close();
        if (this.watcher === w) this.watcher = undefined;
        this.schedule();
      });
      this.watcher = w;
    } catch {
      this.watcher = undefined;
    }
  }

  private startWatching(fsWatch: boolean, pollIntervalMs: number): void {
    if (fsWatch) this.watchNow();
    if (pollIntervalMs > 0) {
      this.poll = setInterval(() => {
        if (fsWatch) this.watchNow();
        void this.reload();
      }, pollIntervalMs);
      this.poll.unref();
    }
  }
}
