import type { Mode } from './options.js';

/** One pgbench setting measured against every target. */
export interface Config {
  mode: Mode;
  clients: number;
  threads: number;
}

export function configLabel(c: Config): string {
  return `${c.mode} -c${c.clients}${c.threads > 1 ? ` -j${c.threads}` : ''}`;
}

/** One pgbench run against one target. */
export interface Sample {
  config: string;
  target: string;
  round: number;
  tps: number;
  latencyMs: number;
  transactions: number;
  /** CPU time (user + system) the target process used during the run, when its pid is known. */
  cpuMs?: number;
  /** The system part of cpuMs. */
  cpuSystemMs?: number;
}

export interface TargetSummary {
  target: string;
  /** Medians over the rounds. */
  tps: number;
  latencyMs: number;
  cpuMsPer1kQueries?: number;
  /** The system-time part of cpuMsPer1kQueries (median on its own). */
  cpuSystemMsPer1kQueries?: number;
  tpsMin: number;
  tpsMax: number;
  runs: number;
  /** This target's median TPS over direct's and over PgBouncer's. */
  vsDirect?: number;
  vsPgbouncer?: number;
  /**
   * Round by round, this target's TPS over PgBouncer's in the same round (runs minutes apart on a
   * shared machine drift; runs in one round are seconds apart): the median and the range.
   */
  vsPgbouncerByRound?: { median: number; min: number; max: number };
}

export interface ConfigSummary {
  config: string;
  targets: TargetSummary[];
  /** Enforcing tripwire's median TPS over the pass-through relay's (issue 4: within 10%, so ≥ 0.90). */
  enforcingVsRelay?: number;
  /** The same comparison in CPU per query: the relay's over the enforcing leg's (≥ 0.90 is within 10%). */
  enforcingVsRelayCpu?: number;
}

/** The two tripwire legs the bench starts: the default (enforcing) proxy and `--pass-through`. */
export const TRIPWIRE = 'tripwire';
export const TRIPWIRE_RELAY = 'tripwire-relay';
/** The enforcing proxy on the JavaScript relay (--relay js), for comparison with the native one. */
export const TRIPWIRE_JS = 'tripwire-js';

export function median(xs: number[]): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** pgbench -S runs one SELECT per transaction, so queries = transactions. */
function per1k(ms: number | undefined, s: Sample): number | undefined {
  return ms === undefined || s.transactions === 0 ? undefined : (ms * 1000) / s.transactions;
}

function summarizeTarget(target: string, samples: Sample[]): TargetSummary {
  const tps = samples.map((s) => s.tps);
  const defined = (xs: Array<number | undefined>) => xs.filter((x): x is number => x !== undefined);
  const cpu = defined(samples.map((s) => per1k(s.cpuMs, s)));
  const sys = defined(samples.map((s) => per1k(s.cpuSystemMs, s)));
  return {
    target,
    tps: median(tps),
    latencyMs: median(samples.map((s) => s.latencyMs)),
    ...(cpu.length ? { cpuMsPer1kQueries: median(cpu) } : {}),
    ...(sys.length ? { cpuSystemMsPer1kQueries: median(sys) } : {}),
    tpsMin: Math.min(...tps),
    tpsMax: Math.max(...tps),
    runs: samples.length,
  };
}

/** Medians per target, then ratios of the medians against direct and PgBouncer. */
export function summarize(config: string, targetNames: string[], samples: Sample[]): ConfigSummary {
  const targets = targetNames
    .map((name) => samples.filter((s) => s.config === config && s.target === name))
    .filter((mine) => mine.length > 0)
    .map((mine) => summarizeTarget(mine[0]!.target, mine));
  const by = (name: string) => targets.find((t) => t.target === name);
  const direct = by('direct');
  const bouncer = by('pgbouncer');
  const bouncerRounds = new Map(samples.filter((s) => s.config === config && s.target === 'pgbouncer').map((s) => [s.round, s.tps]));
  for (const t of targets) {
    if (direct && t !== direct) t.vsDirect = t.tps / direct.tps;
    if (bouncer && t !== bouncer) {
      t.vsPgbouncer = t.tps / bouncer.tps;
      const ratios = samples
        .filter((s) => s.config === config && s.target === t.target && bouncerRounds.get(s.round))
        .map((s) => s.tps / bouncerRounds.get(s.round)!);
      if (ratios.length > 0) t.vsPgbouncerByRound = { median: median(ratios), min: Math.min(...ratios), max: Math.max(...ratios) };
    }
  }
  const enforcing = by(TRIPWIRE);
  const relay = by(TRIPWIRE_RELAY);
  const cpuRatio = enforcing?.cpuMsPer1kQueries && relay?.cpuMsPer1kQueries ? relay.cpuMsPer1kQueries / enforcing.cpuMsPer1kQueries : undefined;
  return {
    config,
    targets,
    ...(enforcing && relay ? { enforcingVsRelay: enforcing.tps / relay.tps } : {}),
    ...(cpuRatio !== undefined ? { enforcingVsRelayCpu: cpuRatio } : {}),
  };
}
