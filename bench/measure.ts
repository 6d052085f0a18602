/**
 * How the benchmark measures a stage: in a child process of its own (so that peak RSS is the stage's alone), with the
 * stage's own clocks, rounds interleaved across stages, medians kept. Shared by the main run and `--stress`.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import type { StageResult } from './stages';

export interface Measured {
  label: string;
  stage: string;
  files: string[];
  bytes: number;
  items: number;
  /** Median wall seconds (the stage's own clock, without node's start-up). */
  seconds: number;
  /** Median CPU seconds (user + system) the stage used: steadier than wall time on a shared machine. */
  cpuSeconds: number;
  maxRssMB: number | null;
  extra?: Record<string, number>;
  error?: string;
}

const TIME = existsSync('/usr/bin/time') ? '/usr/bin/time' : null;

export interface Timed {
  seconds: number;
  /** User + system CPU seconds of the command and its children (GNU time), or null. */
  cpuSeconds: number | null;
  maxRssMB: number | null;
  stdout: string;
  stderr: string;
  status: number | null;
}

/** Runs a command, returning wall seconds, CPU seconds and peak RSS (from GNU time when present). */
export function timed(cmd: string, args: string[]): Timed {
  const full = TIME ? [TIME, ['-f', '@@RSS %M CPU %U %S', cmd, ...args]] as const : [cmd, args] as const;
  const t0 = process.hrtime.bigint();
  const r = spawnSync(full[0], full[1] as string[], { encoding: 'utf8', maxBuffer: 64 << 20, stdio: ['ignore', 'pipe', 'pipe'] });
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const rss = /@@RSS (\d+) CPU ([\d.]+) ([\d.]+)/.exec(r.stderr ?? '');
  return {
    seconds,
    cpuSeconds: rss ? Number(rss[2]) + Number(rss[3]) : null,
    maxRssMB: rss ? Number(rss[1]) / 1024 : null,
    stdout: r.stdout ?? '',
    stderr: r.stderr ?? '',
    status: r.status,
  };
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** One measurement of a stage in a child process of its own (so that peak RSS is the stage's alone). */
export function runStageOnce(stage: string, files: string[]): { result: StageResult; rss: number | null } | { error: string } {
  const r = timed(process.execPath, ['--max-old-space-size=4096', process.argv[1], '--stage', stage, ...files]);
  if (r.status !== 0) return { error: r.stderr.trim().split('\n').slice(-3).join(' ') };
  const result = JSON.parse(r.stdout.trim().split('\n').pop() ?? '{}') as StageResult;
  // The stage's own clocks, so that node's start-up (~0.1 s) does not flatten the ratios on small inputs.
  result.seconds ??= r.seconds;
  result.cpuSeconds ??= r.cpuSeconds ?? NaN;
  return { result, rss: r.maxRssMB };
}

export interface StagePlan {
  label: string;
  stage: string;
  files: string[];
}

/**
 * Runs every planned stage once per round, round after round, and keeps each stage's medians. Interleaving
 * matters on a shared machine: a burst of someone else's work then slows one run of every stage, instead of all
 * the runs of one stage, which would skew exactly the ratios this benchmark is about.
 */
export function runRounds(plans: StagePlan[], runs: number, log: (s: string) => void): Measured[] {
  const samples = plans.map(() => ({ wall: [] as number[], cpu: [] as number[], rss: null as number | null, last: null as StageResult | null, error: '' }));
  for (let round = 0; round < runs; round++) {
    log(`  round ${round + 1} of ${runs}`);
    plans.forEach((p, i) => {
      const s = samples[i]!;
      if (s.error) return;
      const r = runStageOnce(p.stage, p.files);
      if ('error' in r) {
        s.error = r.error;
        return;
      }
      s.wall.push(r.result.seconds!);
      s.cpu.push(r.result.cpuSeconds!);
      if (r.rss !== null) s.rss = Math.max(s.rss ?? 0, r.rss);
      s.last = r.result;
    });
  }
  return plans.map((p, i) => {
    const s = samples[i]!;
    if (s.error || !s.last) return { ...p, bytes: 0, items: 0, seconds: NaN, cpuSeconds: NaN, maxRssMB: null, error: s.error || 'no run' };
    return { ...p, bytes: s.last.bytes, items: s.last.items, seconds: median(s.wall), cpuSeconds: median(s.cpu), maxRssMB: s.rss, extra: s.last.extra };
  });
}


export const fmt = (x: number, d = 1): string => (Number.isFinite(x) ? x.toFixed(d) : 'n/a');
