/**
 * The client: one GET to the pod every interval, each with a timeout, either each on a new connection (like many
 * short-lived callers: what loops is SYNs) or over a small pool of kept-alive connections (like a service's HTTP
 * client: what loops is requests in flight and their TCP retransmissions). Every outcome is logged when it
 * happens, with the time it happened (see app-log.ts). Runs until SIGTERM/SIGINT; in-flight requests are left to
 * finish or time out before exit.
 *
 * Usage: node --import tsx lab/client.ts <url> <interval-ms> <timeout-ms> <log-file> [new-connection|keep-alive]
 */
import { Agent, request } from 'node:http';
import { createWriteStream } from 'node:fs';
import { formatAppLog, nowUs, type AppLogRecord } from './app-log';

const [url = 'http://10.244.1.10:8080/', intervalArg = '20', timeoutArg = '1000', logFile = '/dev/stdout', mode = 'new-connection'] =
  process.argv.slice(2);
if (mode !== 'new-connection' && mode !== 'keep-alive') throw new Error(`mode must be new-connection or keep-alive, not ${mode}`);
// A timed-out request destroys its socket, so the pool opens a new connection for the next one.
const agent = mode === 'keep-alive' ? new Agent({ keepAlive: true, maxSockets: 8 }) : false;
const intervalMs = Number(intervalArg);
const timeoutMs = Number(timeoutArg);
const log = createWriteStream(logFile, { flags: 'a' });

let sent = 0;
let inFlight = 0;
let stopping = false;

function write(r: AppLogRecord): void {
  log.write(formatAppLog(r) + '\n');
}

function fire(): void {
  const requestId = `c-${String(++sent).padStart(6, '0')}`;
  const startUs = nowUs();
  let done = false;
  inFlight++;
  const finish = (r: Omit<AppLogRecord, 'timeUs' | 'requestId' | 'url' | 'durationMs'>): void => {
    if (done) return;
    done = true;
    inFlight--;
    const t = nowUs();
    write({ ...r, timeUs: t, requestId, url, durationMs: (t - startUs) / 1000 });
    if (stopping && inFlight === 0) log.end(() => process.exit(0));
  };
  const req = request(url, { agent, headers: { 'x-request-id': requestId } }, (res) => {
    res.resume();
    res.on('end', () => finish({ outcome: 'ok', status: res.statusCode ?? 0 }));
  });
  // One deadline for the whole exchange (connect + response), as an HTTP client library's timeout would be.
  const timer = setTimeout(() => {
    finish({ outcome: 'timeout', timeoutMs });
    req.destroy();
  }, timeoutMs);
  req.on('close', () => clearTimeout(timer));
  req.on('error', (e: NodeJS.ErrnoException) => {
    clearTimeout(timer);
    finish({ outcome: 'error', error: `${e.code ?? 'ERR'} ${e.message}` });
  });
  req.end();
}

// Drift-free schedule: request n goes at start + n * interval, whatever the event loop did in between.
const t0 = performance.now();
let n = 0;
function tick(): void {
  if (stopping) return;
  fire();
  n++;
  setTimeout(tick, Math.max(0, t0 + n * intervalMs - performance.now()));
}
tick();

function stop(): void {
  stopping = true;
  if (inFlight === 0) log.end(() => process.exit(0));
  setTimeout(() => process.exit(0), timeoutMs + 500).unref();
}
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
