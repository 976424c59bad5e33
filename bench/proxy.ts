/**
 * `npm run bench:proxy`: pgbench -S against PostgreSQL directly, through PgBouncer
 * (session mode), through tripwire (enforcing, bare relay, and enforcing on the JavaScript
 * relay) and through a minimal C relay (the floor: what no relay can beat on this machine),
 * interleaved round-robin so machine noise hits all targets alike.
 * Prints medians, ratios and CPU per 1,000 queries, writes JSON.
 * Everything it starts is stopped at the end, on failure and on Ctrl-C.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pgBinary } from '../test/harness/binaries.js';
import { freePort, startCluster } from '../test/harness/cluster.js';
import { cpuTime, type CpuTime } from './lib/cpu.js';
import { parseOptions, USAGE, type BenchOptions } from './lib/options.js';
import { endpointFromUrl, PgbenchInterrupted, pgbenchInit, pgbenchVersion, runPgbench, type Endpoint, type PgbenchResult } from './lib/pgbench.js';
import { FLOOR, startFloor } from './lib/floor.js';
import { findPgBouncer, pgbouncerVersion, startPgBouncer } from './lib/pgbouncer.js';
import { renderTable, renderVerdicts, writeJson } from './lib/report.js';
import type { Service } from './lib/service.js';
import { configLabel, summarize, TRIPWIRE, TRIPWIRE_JS, TRIPWIRE_RELAY, type Config, type Sample } from './lib/summary.js';
import { Teardown } from './lib/teardown.js';
import { startTripwire } from './lib/tripwire.js';

const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));
/**
 * The tripwire legs: what `tripwire proxy` does by default (enforcing, on the native relay), the
 * bare relay under it, and the same enforcing proxy on the JavaScript relay.
 */
const TRIPWIRE_LEGS = [
  { name: TRIPWIRE, mode: 'enforce', relay: 'native' },
  { name: TRIPWIRE_RELAY, mode: 'relay', relay: 'native' },
  { name: TRIPWIRE_JS, mode: 'enforce', relay: 'js' },
] as const;
const SHAPES = [
  { clients: 1, threads: 1 },
  { clients: 4, threads: 2 },
];

interface Target {
  name: string;
  endpoint: Endpoint;
  /** The process whose CPU time is charged to this target, when the bench started it. */
  service?: Service;
}

function log(line: string): void {
  process.stderr.write(line + '\n');
}

function tryCommand(cmd: string, args: string[]): string {
  try {
    return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return 'unknown';
  }
}

/** A real query through the target, so a proxy that listens but cannot relay fails here, clearly. */
function preflight(t: Target): void {
  const e = t.endpoint;
  try {
    execFileSync(pgBinary('psql'), ['-h', e.host, '-p', String(e.port), '-U', e.user, '-d', e.database, '-XAtc', 'SELECT count(*) FROM pgbench_accounts'], {
      env: { ...process.env, ...(e.password ? { PGPASSWORD: e.password } : {}) },
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: 15_000,
    });
  } catch (err) {
    const stderr = (err as { stderr?: Buffer }).stderr?.toString().trim();
    throw new Error(`${t.name}: a query through 127.0.0.1:${e.port} failed: ${stderr || (err as Error).message}`);
  }
}

async function measure(t: Target, config: Config, seconds: number, signal: AbortSignal): Promise<PgbenchResult & { cpu?: CpuTime }> {
  const pid = t.service?.pid;
  const before = pid ? cpuTime(pid) : undefined;
  let result: PgbenchResult;
  try {
    result = await runPgbench(t.endpoint, { ...config, seconds }, signal);
  } catch (err) {
    if (err instanceof PgbenchInterrupted) throw err;
    const logTail = t.service ? `\n${t.name} log:\n${t.service.logTail()}` : '';
    throw new Error(`${t.name}, ${configLabel(config)}: ${(err as Error).message}${logTail}`, { cause: err });
  }
  if (before === undefined) return result;
  const after = cpuTime(pid!);
  return { ...result, cpu: { userMs: after.userMs - before.userMs, systemMs: after.systemMs - before.systemMs } };
}

/** Round r starts at target r mod n, so no target always runs first (or right after another). */
function rotated<T>(xs: T[], r: number): T[] {
  const k = r % xs.length;
  return [...xs.slice(k), ...xs.slice(0, k)];
}

async function startTargets(opts: BenchOptions, teardown: Teardown, failures: string[]): Promise<Target[]> {
  const cluster = await startCluster();
  teardown.add({ name: 'postgresql', stop: () => cluster.destroy(), kill: () => cluster.destroy() });
  log(`postgresql on 127.0.0.1:${cluster.port}; pgbench -i -s ${opts.scale}…`);
  const direct: Target = { name: 'direct', endpoint: endpointFromUrl(cluster.url('postgres')) };
  pgbenchInit(direct.endpoint, opts.scale);

  const upstream = { host: cluster.host, port: cluster.port };
  const bouncer = await startPgBouncer({ port: await freePort(), upstream, database: 'postgres', user: 'postgres' }, teardown);
  log(`pgbouncer (session mode) on 127.0.0.1:${bouncer.port}, pid ${bouncer.pid}`);
  const required: Target[] = [direct, { name: 'pgbouncer', endpoint: { ...direct.endpoint, port: bouncer.port }, service: bouncer }];
  const targets = [...required];

  const workDir = mkdtempSync(join(tmpdir(), 'tripwire-bench-'));
  teardown.add({ name: 'tripwire work dir', stop: () => rmSync(workDir, { recursive: true, force: true }) });
  const legs = { targets, failures, endpoint: direct.endpoint };
  for (const leg of TRIPWIRE_LEGS) {
    await addLeg(legs, leg.name, `${leg.mode === 'relay' ? '--pass-through' : 'enforcing the default policy'}, --relay ${leg.relay}`, (port) =>
      startTripwire(
        { root: ROOT, port, upstreamUrl: cluster.url('postgres'), name: leg.name, mode: leg.mode, relay: leg.relay, logFile: join(workDir, `${leg.name}.log`), auditLog: join(workDir, 'audit.jsonl') },
        teardown,
      ),
    );
  }
  await addLeg(legs, FLOOR, 'bench/floor/floor-relay.c, a minimal C relay', (port) => startFloor({ root: ROOT, port, upstream, workDir }, teardown));
  // The legs were checked as they started; what must work for the bench to mean anything is checked here.
  const extras: Target[] = opts.extraTargets.map((extra) => ({ name: extra.name, endpoint: endpointFromUrl(extra.url) }));
  for (const t of [...required, ...extras]) preflight(t);
  return [...targets, ...extras];
}

/**
 * Starts one optional leg on a free port and checks it answers; a leg that cannot start or answer
 * is left out of the run, and the run says so (in its log and its JSON), rather than failing.
 */
async function addLeg(
  legs: { targets: Target[]; failures: string[]; endpoint: Endpoint },
  name: string,
  description: string,
  start: (port: number) => Promise<Service>,
): Promise<void> {
  try {
    const port = await freePort();
    const service = await start(port);
    const target: Target = { name, endpoint: { ...legs.endpoint, port }, service };
    preflight(target);
    log(`${name} (${description}) on 127.0.0.1:${port}, pid ${service.pid}`);
    legs.targets.push(target);
  } catch (err) {
    const msg = `${name} leg unavailable, measuring without it: ${(err as Error).message}`;
    legs.failures.push(msg);
    log(`\n*** ${msg}\n`);
  }
}

async function run(opts: BenchOptions, teardown: Teardown): Promise<number> {
  const startedAt = new Date();
  const failures: string[] = [];
  const loadBefore = loadavg();
  const bouncerBin = findPgBouncer();
  const targets = await startTargets(opts, teardown, failures);
  const signal = teardown.abort.signal;
  const configs: Config[] = opts.modes.flatMap((mode) => SHAPES.map((s) => ({ mode, ...s })));

  if (opts.warmupSeconds > 0) {
    log(`warm-up: ${opts.warmupSeconds} s per target and mode at -c4 -j2 (not recorded)`);
    for (const mode of opts.modes) for (const t of targets) await measure(t, { mode, clients: 4, threads: 2 }, opts.warmupSeconds, signal);
  }

  const samples: Sample[] = [];
  for (const config of configs) {
    const label = configLabel(config);
    for (let round = 0; round < opts.rounds; round++) {
      for (const t of rotated(targets, round)) {
        const r = await measure(t, config, opts.seconds, signal);
        const cpu = r.cpu ? { cpuMs: r.cpu.userMs + r.cpu.systemMs, cpuSystemMs: r.cpu.systemMs } : {};
        samples.push({ config: label, target: t.name, round: round + 1, tps: r.tps, latencyMs: r.latencyMs, transactions: r.transactions, ...cpu });
        const perK = (ms: number) => ((ms * 1000) / r.transactions).toFixed(1);
        const cpuNote = r.cpu ? `  cpu ${perK(r.cpu.userMs + r.cpu.systemMs)} ms/1k q (sys ${perK(r.cpu.systemMs)})` : '';
        log(`[${label}, round ${round + 1}/${opts.rounds}] ${t.name.padEnd(14)} ${Math.round(r.tps).toString().padStart(6)} tps  ${r.latencyMs.toFixed(3)} ms${cpuNote}`);
      }
    }
  }

  const names = targets.map((t) => t.name);
  const summaries = configs.map((c) => summarize(configLabel(c), names, samples));
  const environment = {
    node: process.version,
    pgbench: pgbenchVersion(),
    pgbouncer: pgbouncerVersion(bouncerBin),
    postgres: tryCommand(pgBinary('postgres'), ['--version']),
    tripwireCommit: tryCommand('git', ['-C', ROOT, 'describe', '--always', '--dirty']),
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    loadavgBefore: loadBefore,
    loadavgAfter: loadavg(),
  };
  const file = writeJson(opts.outDir, startedAt, { startedAt: startedAt.toISOString(), options: opts, environment, failures, summaries, samples });

  process.stdout.write(
    `\npgbench -S, scale ${opts.scale}, ${opts.rounds} interleaved round(s) of ${opts.seconds} s per target; medians.\n` +
      `spread = half the TPS range over the rounds; CPU = user+system time of the proxy process per 1,000 queries, sys = its system part.\n\n` +
      `${renderTable(summaries)}\n\n${renderVerdicts(summaries)}\n\n` +
      `load average before ${loadBefore.map((x) => x.toFixed(2)).join(' ')}, after ${environment.loadavgAfter.map((x) => x.toFixed(2)).join(' ')} (${environment.cpus} CPUs)\n` +
      `results: ${file}\n`,
  );
  for (const f of failures) process.stdout.write(`FAILED: ${f}\n`);
  return failures.length ? 1 : 0;
}

async function main(): Promise<void> {
  let opts: BenchOptions | undefined;
  try {
    opts = parseOptions(process.argv.slice(2));
  } catch (err) {
    log(`bench: ${(err as Error).message}\n\n${USAGE}`);
    process.exit(2);
  }
  if (!opts) {
    process.stdout.write(USAGE + '\n');
    return;
  }
  const teardown = new Teardown();
  teardown.installSignalHandlers();
  try {
    process.exitCode = await run(opts, teardown);
  } catch (err) {
    const interrupted = teardown.abort.signal.aborted || err instanceof PgbenchInterrupted;
    log(interrupted ? 'bench: interrupted' : `bench failed: ${(err as Error).message}`);
    process.exitCode = 1;
  } finally {
    await teardown.run();
  }
}

await main();
