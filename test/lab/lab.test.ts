/**
 * The lab, for real: builds the namespaces, runs a short frr scenario (one SIGKILL restart of gobgpd under load)
 * and checks that the core-access capture shows the loop the way a router engineer would see it in Wireshark.
 * Needs root, network namespaces and the lab's Debian packages (lab/run.sh installs missing ones); skipped
 * otherwise. Not in the default mocha spec (the root .mocharc.json would add every other test to a file given on
 * the command line): run it with `sudo npm run test:lab`, i.e. `npx mocha --config test/lab/.mocharc.json`
 * (about 30 s).
 *
 * The capture is read with tshark here, not with the lab's truth script nor the product, so the three can
 * disagree: on this link an ordinary packet carries TTL 63 (client -> pod, after the core) or 62 (pod -> client,
 * after node and access); anything lower can only be a packet that went round the loop. (The routers' own BGP
 * session crosses the link with TTL 1: only the pod's traffic is looked at.)
 */
import { strict as assert } from 'node:assert';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const REPO = join(__dirname, '..', '..');
const CORE_MAC = '02:00:00:00:12:01';
const ACCESS_MAC = '02:00:00:00:12:02';

function labPossible(): string | undefined {
  if (process.getuid?.() !== 0) return 'not root';
  const probe = `il-test-probe-${process.pid}`;
  if (spawnSync('ip', ['netns', 'add', probe]).status !== 0) return 'cannot create a network namespace';
  spawnSync('ip', ['netns', 'del', probe]);
  return undefined;
}

interface Sighting {
  us: number;
  mac: string;
  ttl: number;
  key: string;
}

describe('lab: a restart of the node BGP speaker makes a core<->access loop in a real capture', function () {
  this.timeout(240_000);
  let out = '';
  let stdout = '';
  let status: number | null = null;

  before(function () {
    const why = labPossible();
    if (why) {
      console.log(`      lab test skipped: ${why}`);
      this.skip();
    }
    out = mkdtempSync(join(tmpdir(), 'incident-lens-lab-test-'));
    const run = spawnSync('bash', [join(REPO, 'lab', 'run.sh'), 'frr'], {
      cwd: REPO,
      encoding: 'utf8',
      env: { ...process.env, LAB_OUT: out, LAB_RESTARTS: 'KILL:1', LAB_WARMUP_S: '2', LAB_GAP_S: '7', LAB_INTERVAL_MS: '50' },
      timeout: 200_000,
    });
    stdout = run.stdout + run.stderr;
    status = run.status;
  });

  after(() => {
    if (out) rmSync(out, { recursive: true, force: true });
  });

  it('runs to the end and its own truth check passes', () => {
    assert.equal(status, 0, stdout);
    assert.match(stdout, /truth: PASS \(frr\)/);
  });

  it('the capture holds looped replicas only inside the loop, TTL falling by 2 per turn in each direction', () => {
    const truth = JSON.parse(readFileSync(join(out, 'truth.json'), 'utf8')) as {
      loops: { start: { timeUs: number }; end: { timeUs: number }; durationMs: number }[];
      restarts: { kill: { timeUs: number } }[];
    };
    assert.equal(truth.restarts.length, 1);
    assert.equal(truth.loops.length, 1, JSON.stringify(truth.loops));
    const loop = truth.loops[0]!;
    // The core's FIB is slowed by 3 s: the loop lasts seconds, not the tens of ms of a natural one.
    assert.ok(loop.durationMs >= 1000, `loop lasted ${loop.durationMs} ms`);

    const text = execFileSync(
      'tshark',
      ['-r', join(out, 'core-access.pcapng'), '-n', '-Y', 'ip.addr == 10.244.1.0/24 && ip.ttl < 60 && !icmp', '-T', 'fields', '-E', 'separator=\t',
        '-e', 'frame.time_epoch', '-e', 'eth.src', '-e', 'ip.ttl', '-e', 'ip.src', '-e', 'ip.id', '-e', 'tcp.seq_raw'],
      { encoding: 'utf8', maxBuffer: 1 << 28, stdio: ['ignore', 'pipe', 'ignore'] },
    );
    const seen: Sighting[] = text
      .split('\n')
      .filter(Boolean)
      .map((l) => {
        const [t = '', mac = '', ttl = '', src = '', id = '', seq = ''] = l.split('\t');
        const [s = '0', f = ''] = t.split('.');
        return { us: Number(s) * 1e6 + Number(f.padEnd(6, '0').slice(0, 6)), mac, ttl: Number(ttl), key: `${src}/${id}/${seq}` };
      });
    assert.ok(seen.length > 100, `only ${seen.length} frames with TTL < 60`);
    for (const s of seen) {
      assert.ok(s.us >= loop.start.timeUs && s.us <= loop.end.timeUs, `TTL ${s.ttl} at ${s.us}, outside the loop`);
      // Client packets enter the link from the core with TTL 63: the core sends odd TTLs, the access router even.
      if (s.mac === CORE_MAC) assert.equal(s.ttl % 2, 1, `core sent TTL ${s.ttl}`);
      else assert.equal(s.mac, ACCESS_MAC);
      if (s.mac === ACCESS_MAC) assert.equal(s.ttl % 2, 0, `access sent TTL ${s.ttl}`);
    }
    const perPacket = new Map<string, number[]>();
    for (const s of seen) perPacket.set(s.key, [...(perPacket.get(s.key) ?? []), s.ttl]);
    const longest = Math.max(...[...perPacket.values()].map((t) => t.length));
    assert.ok(longest >= 30, `one packet seen at most ${longest} times below TTL 60`);
    for (const [key, ttls] of perPacket)
      ttls.forEach((ttl, i) => i === 0 || assert.equal(ttls[i - 1]! - ttl, 1, `${key}: TTLs ${ttls.join(',')}`));
  });

  it('incident-lens analyze agrees with the truth (when the CLI is built)', function () {
    if (!existsSync(join(REPO, 'dist', 'cli.js'))) this.skip();
    const res = spawnSync(process.execPath, ['--import', 'tsx', join(REPO, 'lab', 'compare.ts'), out], { cwd: REPO, encoding: 'utf8' });
    assert.equal(res.status, 0, res.stdout + res.stderr);
    assert.match(res.stdout, /compare: PASS/);
  });
});
