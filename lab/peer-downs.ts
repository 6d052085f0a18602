/**
 * The access router's own record of the node's BGP session going down, read from its log in the lab's output:
 * FRR `%ADJCHANGE: neighbor 10.0.23.2(node-1) in vrf default Down ...` or BIRD `node1: State changed to stop` (the first of stop, flush, down).
 * Only the two formats this lab writes (FRR with `log timestamp precision 6`, BIRD with `%F %T.%6f`).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface PeerDown {
  timeUs: number;
  router: string;
  peer: string;
  /** The log's file name (lab/out/<scenario>/logs/<file>, flat in the committed samples). */
  file: string;
  line: number;
}

const FRR = /^(\d{4})\/(\d\d)\/(\d\d) (\d\d:\d\d:\d\d)\.(\d{6}) BGP: .*%ADJCHANGE: neighbor (\S+?)(?:\(\S*\))? .*\bDown\b/;
const BIRD = /^(\d{4})-(\d\d)-(\d\d) (\d\d:\d\d:\d\d)\.(\d{6}) <\w+> (\S+): State changed to stop/;
const NODE_PEER = '10.0.23.2';

function epochUs(y: string, mo: string, d: string, hms: string, micros: string): number {
  return Date.parse(`${y}-${mo}-${d}T${hms}Z`) * 1000 + Number(micros);
}

export function readPeerDowns(logDir: string): PeerDown[] {
  const found: PeerDown[] = [];
  for (const [file, pattern] of [
    ['access-bgpd.log', FRR],
    ['access-bird.log', BIRD],
  ] as const) {
    const path = join(logDir, file);
    if (!existsSync(path)) continue;
    readFileSync(path, 'utf8')
      .split('\n')
      .forEach((text, i) => {
        const m = pattern.exec(text);
        if (!m) return;
        const [, y = '', mo = '', d = '', hms = '', us = '', peer = ''] = m;
        // BIRD names the protocol, not the address: node1 is the session to the node.
        const address = peer === 'node1' ? NODE_PEER : peer;
        if (address !== NODE_PEER) return;
        found.push({ timeUs: epochUs(y, mo, d, hms, us), router: 'access', peer: address, file, line: i + 1 });
      });
  }
  return found.sort((a, b) => a.timeUs - b.timeUs);
}
