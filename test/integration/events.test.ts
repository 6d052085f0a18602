/** `incident-lens events` as a user runs it: the built CLI bundle on real and documented log files. */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = join(__dirname, '..', '..');
const cli = join(root, 'dist', 'cli.js');
const real = join(root, 'test', 'fixtures', 'logs', 'real');
const documented = join(root, 'test', 'fixtures', 'logs', 'documented');

function run(...args: string[]) {
  return spawnSync(process.execPath, [cli, 'events', ...args], { encoding: 'utf8' });
}

describe('CLI: incident-lens events', () => {
  let tmp: string;
  before(function () {
    const r = spawnSync(process.execPath, [join(root, 'scripts', 'build.mjs'), '--only=cli'], { cwd: root, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    tmp = mkdtempSync(join(tmpdir(), 'il-events-'));
  });
  after(() => rmSync(tmp, { recursive: true, force: true }));

  it('--json: one event per line, all files merged in time order, unique ids; summaries on stderr', () => {
    const r = run('--json', join(real, 'frr-bgpd.log'), join(real, 'bird2.log'));
    assert.equal(r.status, 0, r.stderr);
    const events = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    assert.equal(events.length, 7 + 21);
    assert.deepEqual(events.map((e) => e.id), events.map((_, i) => `ev-${i + 1}`));
    for (let i = 1; i < events.length; i++) assert.ok(events[i].timeUs >= events[i - 1].timeUs);
    const firstDown = events.find((e) => e.kind === 'bgp-peer-down');
    assert.deepEqual([firstDown.time, firstDown.peer, firstDown.source.format], ['2026-11-25T08:29:19.466834Z', '10.99.2.1', 'frr']);
    assert.match(r.stderr, /frr-bgpd\.log: frr, 19 lines, 7 events, 12 lines not events, zone UTC/);
  });

  it('prints a table by default; lines that are not events are not printed', () => {
    const r = run(join(real, 'gobgpd.plain.log'));
    assert.equal(r.status, 0, r.stderr);
    const lines = r.stdout.trim().split('\n');
    assert.match(lines[0], /^TIME \(UTC\)\s+KIND\s+SOURCE\s+DETAILS\s+MESSAGE$/);
    assert.equal(lines.length, 1 + 12);
    assert.match(r.stdout, /2026-11-25T08:29:31Z\s+bgp-peer-down\s+gobgpd\.plain\.log:12\s+peer 10\.99\.1\.2/);
    assert.doesNotMatch(r.stdout, /Add a peer configuration/);
  });

  it('--year and --tz apply to year-less, zone-less lines', () => {
    const r = run('--json', '--year', '2026', '--tz', 'Europe/Berlin', join(documented, 'kubelet.klog.log'));
    assert.equal(r.status, 0, r.stderr);
    const first = JSON.parse(r.stdout.split('\n')[0]);
    // 23:59:59.904512 on Dec 31 in Berlin (UTC+1) is 22:59:59.904512Z.
    assert.deepEqual([first.kind, first.time], ['probe-failed', '2026-12-31T22:59:59.904512Z']);
    assert.match(r.stderr, /zone Europe\/Berlin/);
  });

  it('a binary file gets a clear error and exit status 2; the other files are still read', () => {
    const bin = join(tmp, 'capture.pcap');
    writeFileSync(bin, Buffer.from([0xd4, 0xc3, 0xb2, 0xa1, 2, 0, 4, 0, 0, 0, 0, 0]));
    const r = run('--json', bin, join(real, 'gobgpd.json.log'), join(tmp, 'missing.log'));
    assert.equal(r.status, 2);
    assert.match(r.stderr, /capture\.pcap: .*\n\s+error: not a text log: NUL byte at byte offset 5/);
    assert.match(r.stderr, /missing\.log: cannot read: ENOENT/);
    assert.equal(r.stdout.trim().split('\n').length, 3);
  });

  it('reads a folder recursively and skips the captures in it', () => {
    const r = run('--json', join(root, 'test', 'fixtures', 'lab', 'cpu-throttle', 'input'));
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stderr, /core-access\.pcapng: skipped \(not a text log\)/);
    assert.match(r.stderr, /kubelet\.log: klog, /);
    const kinds = new Set(r.stdout.trim().split('\n').map((l) => JSON.parse(l).kind));
    for (const k of ['bgp-peer-down', 'container-restart', 'cpu-throttled', 'request-timeout']) assert.ok(kinds.has(k), k);
  });

  it('--format-regex with --time-format reads a format of the user', () => {
    const r = run('--json', '--format-regex', String.raw`^\[(?<time>[^\]]+)\] (?<level>\w+)\s+\w+\s+upstream=(?<peer>\S+) took=(?<latency>\d+) (?<msg>.*)$`,
      '--time-format', 'DD.MM.YYYY HH:mm:ss.SSS', join(documented, 'custom-app.log'));
    assert.equal(r.status, 0, r.stderr);
    const events = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    assert.deepEqual(events.map((e) => [e.kind, e.time, e.latencyMs]), [
      ['slow-response', '2026-11-24T10:00:01.250Z', 3500], ['other', '2026-11-24T10:00:02Z', 12],
    ]);
  });

  it('--clock-offset per file and --estimate-offsets find the skew again', () => {
    const frr = join(real, 'frr-bgpd.log');
    const bird = join(real, 'bird2.log');
    const r = run('--json', '--clock-offset', `${bird}=60000`, '--estimate-offsets', frr, bird);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stderr, /bird2\.log: bird, .*clock offset 60000 ms/);
    const m = /clock offset: \S*bird2\.log is \+(\d+(?:\.\d+)?) ms against \S*frr-bgpd\.log/.exec(r.stderr);
    assert.ok(m, r.stderr);
    assert.ok(Math.abs(Number(m[1]) - 60000) < 5, m[1]);
  });

  it('rejects bad options with status 1 and says which', () => {
    const tz = run('--tz', 'Mars/Olympus', join(real, 'bird2.log'));
    assert.equal(tz.status, 1);
    assert.match(tz.stderr, /--tz: unknown time zone 'Mars\/Olympus'/);
    const re = run('--format-regex', '(', join(real, 'bird2.log'));
    assert.equal(re.status, 1);
    assert.match(re.stderr, /--format-regex: not a regular expression RE2 accepts/);
    const none = run();
    assert.equal(none.status, 1);
    assert.match(none.stderr, /no log file given/);
  });

  it('is listed in the top-level help', () => {
    const r = spawnSync(process.execPath, [cli, '--help'], { encoding: 'utf8' });
    assert.match(r.stdout, /events\s+List the events/);
  });
});

describe('CLI: incident-lens events with a backtracking-prone custom format', () => {
  it('answers at once with the right events for ^(a+)+$-style patterns (linear-time engine, not a hang)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'il-re2-'));
    try {
      const f = join(dir, 'app.log');
      // Line 1 matches; line 2 is the classic exponential case for a backtracking engine (a run of a, then b).
      writeFileSync(f, ['2026-11-24T10:00:01Z ' + 'a'.repeat(40), '2026-11-24T10:00:02Z ' + 'a'.repeat(40) + 'b'].join('\n') + '\n');
      const r = spawnSync(process.execPath, [cli, 'events', '--json', '--format-regex', '^(?<time>\\S+) (?<msg>(a+)+)$', f], { encoding: 'utf8', timeout: 20_000 });
      assert.equal(r.error, undefined, `timed out or failed: ${r.error}`);
      assert.equal(r.status, 0, r.stderr);
      const events = r.stdout.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l));
      assert.equal(events.length, 1, 'only the line made of a run of a matches');
      assert.equal(events[0].time, '2026-11-24T10:00:01Z');
      assert.equal(events[0].source.line, 1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
  it('refuses lookaround, which the linear-time engine does not have, with a usage error', () => {
    const r = spawnSync(process.execPath, [cli, 'events', '--format-regex', '(?<time>\\S+)(?=x)', __filename], { encoding: 'utf8' });
    assert.equal(r.status, 1);
    assert.match(r.stderr, /--format-regex: not a regular expression RE2 accepts/);
  });
});
