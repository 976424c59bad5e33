import { parseArgs } from 'node:util';
import { FLOOR } from './floor.js';
import { TRIPWIRE, TRIPWIRE_JS, TRIPWIRE_RELAY } from './summary.js';

export type Mode = 'simple' | 'prepared';

export interface ExtraTarget {
  name: string;
  url: string;
}

export interface BenchOptions {
  seconds: number;
  rounds: number;
  warmupSeconds: number;
  modes: Mode[];
  scale: number;
  extraTargets: ExtraTarget[];
  outDir: string;
}

export const USAGE = `usage: npm run bench:proxy -- [options]

  --seconds N              length of each pgbench run (default 5)
  --rounds N               interleaved rounds per configuration; the median is reported (default 3)
  --warmup N               seconds of unrecorded warm-up per target before measuring (default 2, 0 for none)
  --only simple|prepared   measure one query mode only
  --scale N                pgbench -i scale factor (default 1)
  --extra-target name=url  also measure another server or proxy, e.g. pgdog=postgres://postgres@127.0.0.1:6433/postgres
                           (repeatable; no CPU figure: its pid is unknown)
  --out DIR                where the JSON results go (default bench/results)
  -h, --help               this text`;

function positiveInt(raw: string | undefined, flag: string, fallback: number, min = 1): number {
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min) throw new Error(`${flag} must be an integer ≥ ${min}, got ${JSON.stringify(raw)}`);
  return n;
}

function extraTarget(raw: string): ExtraTarget {
  const eq = raw.indexOf('=');
  const name = raw.slice(0, eq);
  const url = raw.slice(eq + 1);
  if (eq < 1 || !/^[a-z][\w-]*$/i.test(name)) throw new Error(`--extra-target wants name=url, got ${JSON.stringify(raw)}`);
  if (['direct', 'pgbouncer', TRIPWIRE, TRIPWIRE_RELAY, TRIPWIRE_JS, FLOOR].includes(name)) throw new Error(`--extra-target name ${name} is taken`);
  if (!/^postgres(ql)?:\/\//.test(url)) throw new Error(`--extra-target ${name}: not a postgres:// URL`);
  return { name, url };
}

/** Parses the command line; returns undefined when help was asked for. */
export function parseOptions(argv: string[]): BenchOptions | undefined {
  const { values } = parseArgs({
    args: argv,
    options: {
      seconds: { type: 'string' },
      rounds: { type: 'string' },
      warmup: { type: 'string' },
      only: { type: 'string' },
      scale: { type: 'string' },
      'extra-target': { type: 'string', multiple: true },
      out: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
    allowPositionals: false,
  });
  if (values.help) return undefined;
  if (values.only !== undefined && values.only !== 'simple' && values.only !== 'prepared') {
    throw new Error(`--only must be simple or prepared, got ${JSON.stringify(values.only)}`);
  }
  const extras = (values['extra-target'] ?? []).map(extraTarget);
  if (new Set(extras.map((t) => t.name)).size !== extras.length) throw new Error('--extra-target names must differ');
  return {
    seconds: positiveInt(values.seconds, '--seconds', 5),
    rounds: positiveInt(values.rounds, '--rounds', 3),
    warmupSeconds: positiveInt(values.warmup, '--warmup', 2, 0),
    modes: values.only ? [values.only as Mode] : ['simple', 'prepared'],
    scale: positiveInt(values.scale, '--scale', 1),
    extraTargets: extras,
    outDir: values.out ?? 'bench/results',
  };
}
