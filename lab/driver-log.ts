/** Reads lab/out/<scenario>/driver.jsonl: what the lab's driver (run.sh) did and when, in epoch microseconds. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface DriverEvent {
  event: 'scenario' | 'start' | 'converged' | 'load-start' | 'kill' | 'exit' | 'cpu-burst' | 'load-stop' | 'end';
  timeUs: number;
  restart?: number;
  signal?: string;
  status?: number;
  pid?: number;
  /** cpu-burst: how long the pod burned CPU from timeUs on. */
  seconds?: number;
  [key: string]: unknown;
}

export interface Restart {
  /** 1-based; restart 0 is the first start. */
  n: number;
  signal: string;
  killUs: number;
  exitUs: number;
  exitStatus: number;
  startUs: number;
}

export function readDriverLog(outDir: string): DriverEvent[] {
  const file = join(outDir, 'driver.jsonl');
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l, i) => {
      try {
        return JSON.parse(l) as DriverEvent;
      } catch (e) {
        throw new Error(`${file}:${i + 1}: not JSON (${(e as Error).message})`);
      }
    });
}

export function restartsOf(events: DriverEvent[]): Restart[] {
  const byN = new Map<number, Partial<Restart>>();
  for (const e of events) {
    if (e.restart === undefined || e.restart === 0) continue;
    const r = byN.get(e.restart) ?? { n: e.restart };
    if (e.event === 'kill') Object.assign(r, { signal: e.signal ?? '?', killUs: e.timeUs });
    if (e.event === 'exit') Object.assign(r, { exitUs: e.timeUs, exitStatus: e.status ?? 0 });
    if (e.event === 'start') r.startUs = e.timeUs;
    byN.set(e.restart, r);
  }
  return [...byN.values()]
    .filter((r): r is Restart => r.killUs !== undefined && r.exitUs !== undefined && r.startUs !== undefined)
    .sort((a, b) => a.n - b.n);
}

export function findEvent(events: DriverEvent[], name: DriverEvent['event']): DriverEvent {
  const e = events.find((x) => x.event === name);
  if (!e) throw new Error(`driver.jsonl has no "${name}" event`);
  return e;
}
