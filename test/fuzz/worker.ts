/** Runs fuzz inputs in a worker thread so that the parent can time out a hang and survive an out-of-memory. */
import { parentPort } from 'node:worker_threads';
import { runTarget, type TargetName } from './targets';

parentPort!.on('message', (m: { id: number; target: TargetName; bytes: Uint8Array; param?: number }) => {
  const t0 = performance.now();
  runTarget(m.target, m.bytes, m.param).then(
    () => parentPort!.postMessage({ id: m.id, ok: true, ms: performance.now() - t0 }),
    (e: unknown) => parentPort!.postMessage({ id: m.id, ok: false, ms: performance.now() - t0, error: e instanceof Error ? (e.stack ?? e.message) : String(e) }),
  );
});
