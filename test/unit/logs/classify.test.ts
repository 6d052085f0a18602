/**
 * classify() skips a message unless it holds one of the families' anchors (a necessary condition each family
 * states next to its rules). Here every message of every fixture, as the line formats hand it over, is given to
 * every family directly: each one a family recognises must hold that family's anchors, so the skip never loses
 * an event. Every family must recognise something here, or the check would prove nothing for it.
 */
import { strict as assert } from 'node:assert';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { CLASSIFIERS, anchorsTest, classify, mayClassify } from '../../../src/core/logs/classify';
import { createFormats } from '../../../src/core/logs/formats/index';
import type { FormatContext, LogRecord } from '../../../src/core/logs/types';

const fixtures = join(__dirname, '..', '..', 'fixtures');

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    if (statSync(p).isDirectory()) return files(p);
    return /\.(log|txt|json|prom)$/.test(f) ? [p] : [];
  });
}

/** What the formats make of each line (the records the file parser classifies), and each raw line as a message too. */
function records(path: string): LogRecord[] {
  const inner = createFormats([], undefined, true).formats;
  const ctx: FormatContext = {
    file: path, line: 0, byteOffset: 0, warn: () => undefined,
    parseInner: (text) => {
      for (const f of inner) {
        const r = f.parse(text, { ...ctx, parseInner: () => undefined });
        if (r && r !== 'consumed' && !Array.isArray(r)) return r;
      }
      return undefined;
    },
  };
  const formats = createFormats().formats;
  const out: LogRecord[] = [];
  readFileSync(path, 'utf8').split('\n').forEach((line, i) => {
    ctx.line = i + 1;
    out.push({ timeText: '', format: 'raw', message: line });
    for (const f of formats) {
      const r = f.parse(line, ctx);
      if (r === undefined) continue;
      if (r !== 'consumed') out.push(...(Array.isArray(r) ? r : [r]));
      break;
    }
  });
  return out;
}

/** Messages of the families' own documentation (the shapes their rules were written from). */
const DOCUMENTED: LogRecord[] = [
  '%BGP-5-ADJCHANGE: peer 192.0.2.2 (VRF default AS 12345) old state Established event AdminReset new state Idle',
  '%BGP-5-ADJCHANGE: neighbor 10.1.1.2 Down BGP Notification sent',
  '%ROUTING-BGP-5-ADJCHANGE : neighbor 10.1.1.2 Down - BGP Notification sent, hold time expired (VRF: default) (AS: 65001)',
  'RPD_BGP_NEIGHBOR_STATE_CHANGED: BGP peer 1.1.1.1 (External AS 2222) changed state from OpenConfirm to Idle (event TransportError)',
  'bgp_event: peer 10.0.0.2 (External AS 65002) old state Established event HoldTime new state Idle',
  'BGP/2/PEER_BACKWARDTRANS_NOTIFICATION: The BGP FSM moved from a higher numbered state to a lower numbered state. (BgpPeerRemoteAddr=10.1.1.2, BgpPeerState=1)',
  'BGP/3/STATE_CHG_UPDOWN: The status of the peer 10.1.1.2 changed from ESTABLISHED to IDLE. (InstanceName=Public)',
  'BGP_STATE_CHANGED: BGP.vpn1: 10.1.1.2 state has changed from ESTABLISHED to IDLE.',
  '[M59KS-A3ZXZ] %ADJCHANGE: neighbor 10.0.12.2(node-3) in vrf default Down Peer closed the session',
  'BGPd 8.4.4 starting: vty@2601, bgp@<all>:179',
  'Terminating on signal',
  'Peer Down Key=10.0.0.2',
  'upstream timed out (110: Connection timed out) while reading response header from upstream',
  'dial tcp 10.0.0.1:80: connect: no route to host',
  'read: connection reset by peer',
].map((message) => ({ timeText: '', format: 'raw', message }));
const SYSLOG_PROCESS: LogRecord[] = [
  { timeText: '', format: 'journald-short', process: 'systemd', message: 'Started frr.service - FRRouting.' },
  { timeText: '', format: 'journald-short', process: 'systemd', message: 'frr.service: Main process exited, code=killed, status=9/KILL' },
  { timeText: '', format: 'journald-short', process: 'bird', message: 'node_a: State changed to up' },
  { timeText: '', format: 'journald-short', process: 'bird', message: 'BIRD 2.0.12 ready.' },
];

describe('logs/classify: anchors', () => {
  const corpus = [...files(fixtures).flatMap(records), ...DOCUMENTED, ...SYSLOG_PROCESS];

  it('every message a family recognises holds that family\'s anchors, and so passes the skip', () => {
    const positives = new Map<string, number>(CLASSIFIERS.map((c) => [c.name, 0]));
    for (const c of CLASSIFIERS) {
      const own = anchorsTest([c.anchors]);
      for (const rec of corpus) {
        if (!c.classify(rec.message, rec)) continue;
        positives.set(c.name, positives.get(c.name)! + 1);
        assert.ok(own(rec.message), `${c.name} recognises a message without its anchors: ${rec.message}`);
        assert.ok(mayClassify(rec.message), rec.message);
      }
    }
    for (const [name, n] of positives) assert.ok(n > 0, `no example recognised by ${name}: the check proves nothing for it`);
  });

  it('classify() with the skip decides as the families alone do', () => {
    let events = 0;
    for (const rec of corpus) {
      let alone: unknown;
      for (const c of CLASSIFIERS) {
        alone = c.classify(rec.message, rec);
        if (alone) break;
      }
      if (alone) events++;
      assert.deepEqual(classify(rec.message, rec), alone, rec.message);
    }
    assert.ok(events > 100, String(events));
  });

  it('skips chatter', () => {
    assert.equal(mayClassify('10.0.3.2(node-3) rcvd UPDATE about 10.244.1.0/24 IPv4 unicast -- DENIED due to: as-path contains our own AS;'), false);
    assert.equal(mayClassify('"Fast updating node status as it just became ready" node="node-1"'), false);
  });
});
