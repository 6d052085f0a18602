/**
 * What code-server's processes are doing, read from /proc (Linux). The analysis runs in a worker thread of the
 * extension host, so the host's CPU time tells whether a cancelled analysis really stopped.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

/** Clock ticks per second of /proc/<pid>/stat times (USER_HZ, 100 on every common Linux). */
const TICKS_PER_SECOND = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;

function statFields(pid: number): string[] | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces; the fields after its closing parenthesis are plain.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined; // gone meanwhile
  }
}

/** Processes of the group `pgid` whose command line says they are a VS Code extension host. */
export function extensionHostPids(pgid: number): number[] {
  const pids: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const pid = Number(name);
    const f = statFields(pid);
    // After the name: state(0) ppid(1) pgrp(2)...
    if (!f || Number(f[2]) !== pgid) continue;
    try {
      if (/extensionHost/.test(readFileSync(`/proc/${pid}/cmdline`, 'utf8'))) pids.push(pid);
    } catch {
      // gone meanwhile
    }
  }
  return pids;
}

function cpuTicks(pids: number[]): number {
  let ticks = 0;
  for (const pid of pids) {
    const f = statFields(pid);
    // utime and stime are fields 14 and 15 of stat, 11 and 12 after the name.
    if (f) ticks += Number(f[11]) + Number(f[12]);
  }
  return ticks;
}

/** CPU seconds the extension host(s) of the group used during the next `ms` milliseconds. */
export async function extensionHostCpuSeconds(pgid: number, ms: number): Promise<number> {
  const pids = extensionHostPids(pgid);
  if (pids.length === 0) throw new Error(`no extension host process in process group ${pgid}`);
  const before = cpuTicks(pids);
  await new Promise((r) => setTimeout(r, ms));
  return (cpuTicks(pids) - before) / TICKS_PER_SECOND;
}
