import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FLOOR } from './floor.js';
import { TRIPWIRE, TRIPWIRE_JS, TRIPWIRE_RELAY, type ConfigSummary, type TargetSummary } from './summary.js';

const HEADERS = ['config', 'target', 'TPS', 'spread', 'lat ms', 'CPU ms/1k q', 'sys', '×direct', '×pgbouncer'];
const RIGHT = new Set([2, 3, 4, 5, 6, 7, 8]);

const fmtInt = (n: number) => Math.round(n).toLocaleString('en-US');
const fmtRatio = (n: number | undefined) => (n === undefined ? '' : n.toFixed(2));

function row(config: string, t: TargetSummary): string[] {
  // Spread: (max − min) / median over the rounds, a hint of how noisy the machine was.
  const spread = t.runs > 1 && t.tps > 0 ? `±${(((t.tpsMax - t.tpsMin) / t.tps) * 50).toFixed(1)}%` : '-';
  return [
    config,
    t.target,
    fmtInt(t.tps),
    spread,
    t.latencyMs.toFixed(3),
    t.cpuMsPer1kQueries === undefined ? '-' : t.cpuMsPer1kQueries.toFixed(1),
    t.cpuSystemMsPer1kQueries === undefined ? '-' : t.cpuSystemMsPer1kQueries.toFixed(1),
    fmtRatio(t.vsDirect),
    fmtRatio(t.vsPgbouncer),
  ];
}

/** A plain-text table: one row per configuration and target, medians over the rounds. */
export function renderTable(summaries: ConfigSummary[]): string {
  const rows: string[][] = [];
  for (const s of summaries) {
    s.targets.forEach((t, i) => rows.push(row(i === 0 ? s.config : '', t)));
  }
  const widths = HEADERS.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (RIGHT.has(i) ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ').trimEnd();
  const out = [line(HEADERS), widths.map((w) => '-'.repeat(w)).join('  ')];
  let first = true;
  for (const r of rows) {
    if (r[0] !== '' && !first) out.push('');
    first = false;
    out.push(line(r));
  }
  return out.join('\n');
}

const met = (ok: boolean, goal: string) => `  (target ${goal}: ${ok ? 'met' : 'NOT met'})`;

/**
 * Per configuration: each tripwire leg's ratios against direct and PgBouncer (issue 2's goal,
 * ≥ 1.00× PgBouncer at -c4 -j2, judged on the ratio of the medians), the same ratios round by
 * round, the floor's for scale, then enforcing against the relay (issue 4's goal, within 10%).
 */
export function renderVerdicts(summaries: ConfigSummary[]): string {
  const out: string[] = [];
  for (const s of summaries) {
    const legs = s.targets.filter((t) => [TRIPWIRE, TRIPWIRE_RELAY, TRIPWIRE_JS, FLOOR].includes(t.target) && t.vsPgbouncer !== undefined);
    const atTarget = s.config.includes('-c4');
    legs.forEach((t, i) => {
      const goal = atTarget && t.target !== FLOOR ? met(t.vsPgbouncer! >= 1, '≥ 1.00') : '';
      const r = t.vsPgbouncerByRound;
      const byRound = r && t.runs > 1 ? `  (by round: median ${fmtRatio(r.median)}, ${fmtRatio(r.min)}–${fmtRatio(r.max)})` : '';
      out.push(`${(i === 0 ? s.config : '').padEnd(18)}${t.target.padEnd(16)}/direct ${fmtRatio(t.vsDirect)}  /pgbouncer ${fmtRatio(t.vsPgbouncer)}${goal}${byRound}`);
    });
    if (s.enforcingVsRelay !== undefined) {
      const cpu = s.enforcingVsRelayCpu === undefined ? '' : `  (by CPU per query ${fmtRatio(s.enforcingVsRelayCpu)})`;
      out.push(`${''.padEnd(18)}${'enforcing/relay'.padEnd(16)}TPS ${fmtRatio(s.enforcingVsRelay)}${met(s.enforcingVsRelay >= 0.9, '≥ 0.90')}${cpu}`);
    }
  }
  return out.join('\n');
}

/** Writes the full results as JSON and returns the file's path. */
export function writeJson(outDir: string, startedAt: Date, data: unknown): string {
  mkdirSync(outDir, { recursive: true });
  const stamp = startedAt.toISOString().replace(/[:.]/g, '-');
  const file = join(outDir, `proxy-${stamp}.json`);
  writeFileSync(file, JSON.stringify(data, null, 2) + '\n');
  return file;
}
