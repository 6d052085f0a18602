/**
 * The pod: a small HTTP service. Each request does a little CPU work (so that a CPU quota on the pod has
 * something to throttle) and answers with a short JSON body.
 *
 * Usage: node --import tsx lab/pod-server.ts <port> <pod-name> [work-ms]
 */
import { createServer } from 'node:http';

const port = Number(process.argv[2] ?? 8080);
const podName = process.argv[3] ?? 'web';
const workMs = Number(process.argv[4] ?? 1);

function burnCpu(ms: number): number {
  const until = performance.now() + ms;
  let x = 0;
  while (performance.now() < until) x = (x * 31 + 7) % 1000003;
  return x;
}

const server = createServer((req, res) => {
  burnCpu(workMs);
  const body = JSON.stringify({ pod: podName, path: req.url, ok: true });
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
  res.end(body);
});
server.keepAliveTimeout = 0;
server.listen(port, '0.0.0.0', () => process.stdout.write(`listening on ${port}\n`));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
