import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

let ticksPerSecond: number | undefined;

/** Clock ticks per second for /proc times (USER_HZ, almost always 100). */
function clockTicks(): number {
  if (ticksPerSecond === undefined) {
    try {
      ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      ticksPerSecond = 100;
    }
  }
  return ticksPerSecond;
}

export interface CpuTime {
  userMs: number;
  systemMs: number;
}

/**
 * User and system CPU time of a process (all its threads), in milliseconds, from
 * /proc/<pid>/stat fields 14 and 15. The command name (field 2) may hold spaces and
 * parentheses, so the fields are counted from after its last ')'. The two are kept apart
 * because a relay's cost is mostly system time (socket reads and writes), which no user-space
 * tuning removes.
 */
export function cpuTime(pid: number): CpuTime {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // rest[0] is field 3 (state), so field n is rest[n - 3].
  const utime = Number(rest[14 - 3]);
  const stime = Number(rest[15 - 3]);
  if (!Number.isFinite(utime) || !Number.isFinite(stime)) throw new Error(`cannot parse /proc/${pid}/stat`);
  return { userMs: (utime * 1000) / clockTicks(), systemMs: (stime * 1000) / clockTicks() };
}
