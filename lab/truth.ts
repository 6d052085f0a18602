/**
 * Ground truth of one lab run, computed from the run's own data, independently of src/ (the product):
 *   restarts      the driver's record of each kill / exit / start of gobgpd (driver.jsonl)
 *   peerDowns     the access router's own log lines saying the node's session went down
 *   loops         loop episodes measured in core-access.pcap with tshark (replicas of one IP packet, TTL falling)
 *   outages       runs of failed requests (timeouts, errors) in the client's log
 * Writes <out-dir>/truth.json and prints one summary line per loop plus a PASS/FAIL line for the scenario's
 * expectation (exit 1 on FAIL).
 *
 * Usage: node --import tsx lab/truth.ts <out-dir>
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { findEvent, readDriverLog, restartsOf } from './driver-log';
import { isoMicros, parseAppLog } from './app-log';
import { forwardedTwice, measureLoops, readPackets } from './capture-loops';
import { readPeerDowns } from './peer-downs';

const outDir = process.argv[2];
if (!outDir) throw new Error('usage: truth.ts <out-dir>');

const driver = readDriverLog(outDir);
const scenario = findEvent(driver, 'scenario');
const restarts = restartsOf(driver);
const loadStart = findEvent(driver, 'load-start').timeUs;
const loadStop = findEvent(driver, 'load-stop').timeUs;

// Two hops around the loop (core -> access -> core): TTL falls by 2 between sightings in one direction.
const EXPECTED_TTL_STEP = 2;
// Loops shorter than this are the natural ones (FIB updates racing); the slowed core makes seconds-long ones.
const LONG_LOOP_MS = 1000;
// Failed requests closer than this belong to one outage.
const OUTAGE_GAP_US = 500_000;

const loops = measureLoops(readPackets(join(outDir, 'core-access.pcap')));
// The access router's `tcpdump -i any`: the same loops seen from the other end, and every forwarded packet twice.
const accessAnyFile = join(outDir, 'access-any.pcap');
const accessAny = existsSync(accessAnyFile) ? readPackets(accessAnyFile) : undefined;
const accessAnyLoops = accessAny ? measureLoops(accessAny) : [];
const peerDowns = readPeerDowns(join(outDir, 'logs'));

/** A run of failed requests: from the first one's sending to the last one's failure. */
interface Outage {
  startUs: number;
  endUs: number;
  timeouts: number;
  errors: number;
}
const requests = { ok: 0, timeouts: 0, errors: 0, maxOkMs: 0 };
const failures: { sentUs: number; doneUs: number; timeout: boolean }[] = [];
const clientLog = join(outDir, 'logs', 'client-app.log');
for (const line of readFileSync(clientLog, 'utf8').split('\n')) {
  const r = parseAppLog(line);
  if (!r) continue;
  if (r.outcome === 'ok') {
    requests.ok++;
    requests.maxOkMs = Math.max(requests.maxOkMs, r.durationMs);
    continue;
  }
  if (r.outcome === 'timeout') requests.timeouts++;
  else requests.errors++;
  failures.push({ sentUs: r.timeUs - Math.round(r.durationMs * 1000), doneUs: r.timeUs, timeout: r.outcome === 'timeout' });
}
// The log is in completion order; an outage is a run of failed requests in the order they were sent.
const outages: Outage[] = [];
for (const f of failures.sort((a, b) => a.sentUs - b.sentUs)) {
  const last = outages[outages.length - 1];
  if (!last || f.sentUs > last.endUs + OUTAGE_GAP_US) outages.push({ startUs: f.sentUs, endUs: f.doneUs, timeouts: 0, errors: 0 });
  const o = outages[outages.length - 1] as Outage;
  o.endUs = Math.max(o.endUs, f.doneUs);
  if (f.timeout) o.timeouts++;
  else o.errors++;
}

const at = (us: number): { timeUs: number; time: string } => ({ timeUs: us, time: isoMicros(us) });
const ms = (us: number): number => Math.round(us / 100) / 10;
const loopAfter = (us: number) => loops.find((l) => l.startUs >= us && l.startUs - us < 10_000_000);
const outageAfter = (us: number) => outages.find((o) => o.endUs >= us && o.startUs - us < 10_000_000);

const truth = {
  scenario: scenario.scenario,
  madeBy: 'lab/run.sh + lab/truth.ts (independent of src/)',
  parameters: {
    access: scenario.access,
    fibDelayMs: scenario.fibDelayMs,
    requestIntervalMs: scenario.intervalMs,
    clientMode: scenario.clientMode ?? 'new-connection',
    requestTimeoutMs: scenario.timeoutMs,
    snaplen: scenario.snaplen,
    podCidr: scenario.podCidr,
    podIp: scenario.podIp,
    clientIp: scenario.clientIp,
  },
  expectedTtlStep: EXPECTED_TTL_STEP,
  load: { start: at(loadStart), stop: at(loadStop) },
  restarts: restarts.map((r) => {
    const loop = loopAfter(r.killUs);
    const outage = outageAfter(r.killUs);
    return {
      n: r.n,
      signal: r.signal,
      kill: at(r.killUs),
      exit: at(r.exitUs),
      exitStatus: r.exitStatus,
      start: at(r.startUs),
      loop: loop?.id ?? null,
      loopStartAfterKillMs: loop ? ms(loop.startUs - r.killUs) : null,
      outageStartAfterKillMs: outage ? ms(outage.startUs - r.killUs) : null,
    };
  }),
  // cpu-throttle scenario: when the pod burned CPU against its quota (the red herring), placed away from the outages.
  cpuBursts: driver
    .filter((e) => e.event === 'cpu-burst')
    .map((e) => ({ start: at(e.timeUs), end: at(e.timeUs + (e.seconds ?? 0) * 1_000_000) })),
  peerDowns: peerDowns.map((p) => ({ ...at(p.timeUs), router: p.router, peer: p.peer, file: p.file, line: p.line })),
  loops: loops.map((l) => ({
    id: l.id,
    start: at(l.startUs),
    end: at(l.endUs),
    durationMs: ms(l.endUs - l.startUs),
    ttlStep: l.ttlStep,
    loopedPackets: l.streams,
    sightings: l.sightings,
    maxTtl: l.maxTtl,
    minTtl: l.minTtl,
    expiredPackets: l.expired,
    icmpTimeExceeded: l.icmpTimeExceeded,
    firstFrame: l.firstFrame,
    lastFrame: l.lastFrame,
  })),
  accessAny: accessAny
    ? {
        file: 'access-any.pcap',
        packets: accessAny.byPacket.size,
        forwardedTwice: forwardedTwice(accessAny),
        loops: accessAnyLoops.map((l) => ({
          id: l.id,
          start: at(l.startUs),
          end: at(l.endUs),
          ttlStep: l.ttlStep,
          loopedPackets: l.streams,
          firstFrame: l.firstFrame,
          lastFrame: l.lastFrame,
        })),
      }
    : null,
  requests,
  outages: outages.map((o) => ({
    start: at(o.startUs),
    end: at(o.endUs),
    durationMs: ms(o.endUs - o.startUs),
    timeouts: o.timeouts,
    errors: o.errors,
  })),
};
writeFileSync(join(outDir, 'truth.json'), JSON.stringify(truth, null, 2) + '\n');

for (const l of truth.loops)
  console.log(
    `truth: ${l.id} ${l.start.time} .. ${l.end.time} ${l.durationMs} ms, ${l.loopedPackets} packets looped, ` +
      `${l.sightings} sightings, TTL ${l.maxTtl}..${l.minTtl} step ${l.ttlStep}`,
  );
console.log(
  `truth: ${restarts.length} restarts, ${peerDowns.length} peer-downs, ${loops.length} loops, ` +
    `${outages.length} outages, requests ok=${requests.ok} timeouts=${requests.timeouts} errors=${requests.errors}`,
);

// What the scenario is meant to show. A run that does not show it is not a valid sample.
const problems: string[] = [];
const long = loops.filter((l) => (l.endUs - l.startUs) / 1000 >= LONG_LOOP_MS);
if (restarts.length === 0) {
  if (loops.length) problems.push(`${loops.length} loops in a run without restart`);
  if (requests.timeouts + requests.errors) problems.push(`${requests.timeouts + requests.errors} failed requests without restart`);
} else if (scenario.fibDelayMs) {
  for (const r of truth.restarts) if (!r.loop) problems.push(`restart ${r.n}: no loop followed`);
  if (long.length !== restarts.length) problems.push(`${long.length} loops of ${LONG_LOOP_MS} ms or more, expected ${restarts.length}`);
  if (peerDowns.length < restarts.length) problems.push(`${peerDowns.length} peer-down lines for ${restarts.length} restarts`);
} else if (long.length) problems.push(`${long.length} long loops although the FIB is not slowed`);
for (const b of truth.cpuBursts) {
  const hit = outages.find((o) => o.startUs < b.end.timeUs && o.endUs > b.start.timeUs);
  if (hit) problems.push(`CPU burst at ${b.start.time} overlaps the outage from ${isoMicros(hit.startUs)}`);
}
if (accessAny && accessAnyLoops.length !== loops.length)
  problems.push(`${accessAnyLoops.length} loops seen from the access router, ${loops.length} on the core-access link`);
for (const l of loops) if (l.ttlStep !== EXPECTED_TTL_STEP) problems.push(`${l.id}: TTL step ${l.ttlStep}`);
if (!existsSync(join(outDir, 'core-access.pcapng'))) problems.push('core-access.pcapng missing');
console.log(problems.length ? `truth: FAIL ${problems.join('; ')}` : `truth: PASS (${scenario.scenario})`);
process.exitCode = problems.length ? 1 : 0;
