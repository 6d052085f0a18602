/**
 * Runs fuzz targets in a worker thread, one input at a time, with a time bound (a hang: the thread is terminated and
 * a new one started) and a heap bound (an allocation sized by an untrusted length). Used by the fuzzer and by the
 * regression test, so that a finding that hangs again fails its test instead of stalling the suite.
 */
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { TargetName } from './targets';

export interface Outcome {
  ok: boolean;
  kind?: 'throw' | 'hang' | 'oom' | 'exit';
  error?: string;
  ms: number;
}

export class Runner {
  private worker!: Worker;
  private next = 1;
  constructor(private readonly timeoutMs: number) {
    this.spawn();
  }
  private spawn(): void {
    // Worker threads do not get tsx's loader hooks from the parent: register tsx's CommonJS hook inside the worker.
    const boot = `require('tsx/cjs'); require(${JSON.stringify(join(__dirname, 'worker.ts'))});`;
    this.worker = new Worker(boot, { eval: true, resourceLimits: { maxOldGenerationSizeMb: 1536 } });
    this.worker.unref();
  }
  run(target: TargetName, bytes: Uint8Array, param: number): Promise<Outcome> {
    const id = this.next++;
    return new Promise((resolve) => {
      const t0 = performance.now();
      let settled = false;
      const finish = (o: Outcome, restart: boolean): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        this.worker.off('message', onMessage);
        this.worker.off('error', onError);
        this.worker.off('exit', onExit);
        if (restart) {
          void this.worker.terminate();
          this.spawn();
        }
        resolve(o);
      };
      const onMessage = (m: { id: number; ok: boolean; ms: number; error?: string }): void => {
        if (m.id === id) finish({ ok: m.ok, kind: m.ok ? undefined : 'throw', error: m.error, ms: m.ms }, false);
      };
      const onError = (e: Error): void => finish({ ok: false, kind: /memory/i.test(e.message) ? 'oom' : 'throw', error: e.stack ?? e.message, ms: performance.now() - t0 }, true);
      const onExit = (code: number): void => finish({ ok: false, kind: 'exit', error: `worker exited with ${code}`, ms: performance.now() - t0 }, true);
      const timer = setTimeout(() => finish({ ok: false, kind: 'hang', error: `no answer within ${this.timeoutMs} ms`, ms: this.timeoutMs }, true), this.timeoutMs);
      this.worker.on('message', onMessage);
      this.worker.on('error', onError);
      this.worker.on('exit', onExit);
      this.worker.postMessage({ id, target, bytes, param });
    });
  }
  stop(): Promise<number> {
    return this.worker.terminate();
  }
}

