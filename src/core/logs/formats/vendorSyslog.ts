/**
 * Router vendors' BGP neighbor messages and their own framings.
 *
 * Framings (where the vendor does not use a standard syslog header):
 * - Cisco IOS / IOS-XE: `[seq: ][host: ][*|.]Nov 24 [2026 ]10:00:01.123[ UTC]: %BGP-5-ADJCHANGE: ...`
 * - Cisco NX-OS: `2026 Nov 24 10:00:01[.123] host %BGP-5-ADJCHANGE: ...`
 * - Cisco IOS-XR: `[seq: host ]RP/0/RSP0/CPU0:[2026 ]Nov 24 10:00:01.123[ UTC]: bgp[1047]: %ROUTING-BGP-5-ADJCHANGE : ...`
 *   (the time may end in ` : ` when no zone is shown)
 * - Huawei VRP: `Nov 24 2026 10:00:01[.123][+08:00] host %%01BGP/2/PEER_BACKWARDTRANS_NOTIFICATION(l)[3]:...`
 * - H3C Comware: `%Nov 24 10:00:01:579 2026 host BGP/5/BGP_STATE_CHANGED: ...` (milliseconds after a colon)
 * (Arista EOS, Junos and NetIron send standard syslog headers: RFC 3164, also with an RFC 3339 time.)
 * Messages (inside these framings or inside RFC 3164 / journald lines): see VENDOR_RULES.
 */
import type { Severity } from '../../model/events';
import type { Classification, Classifier, ClassifierAnchors, FormatContext, LineFormat, LogRecord } from '../types';
import { monthFromName, stampOf } from '../timestamps';
import { IP_SRC, escapeRegExp, severityFromSyslog } from './common';

const MON = '([A-Z][a-z]{2})';
const CISCO_MNEMONIC = String.raw`%([A-Z][A-Z0-9_]*(?:-[A-Z0-9_]+)*)-(\d)-([A-Z0-9_]+)`;
const CISCO = new RegExp(
  String.raw`^(?:<\d{1,3}>)?(?:\d+: )?(?:(\S+): )?(?:\d+: )?(?:(\S+) (?=(?:RP|LC|RSP)/))?(?:((?:RP|LC|RSP)/[\w/]+):)?[*.]?(?:(\d{4}) )?${MON} {1,2}(\d{1,2})(?: (\d{4}))? ` +
  String.raw`(\d\d):(\d\d):(\d\d)(?:\.(\d{1,9}))?(?: ([A-Z]{2,5}))? ?:? (?:(\S+?)(?:\[\d+\])?:? )?${CISCO_MNEMONIC} ?: ?(.*)$`,
);
const HUAWEI = new RegExp(
  String.raw`^${MON} (\d{1,2}) (\d{4}) (\d\d):(\d\d):(\d\d)(?:\.(\d{1,9}))?([+-]\d\d:\d\d)?(?: DST)? (\S+) %%(\d\d)([A-Z0-9_]+)/(\d)/([A-Za-z0-9_]+)(?:\([a-z]+\))?(?:\[\d+\])?: ?(.*)$`,
);
const H3C = new RegExp(
  String.raw`^%${MON} {1,2}(\d{1,2}) (\d\d):(\d\d):(\d\d):(\d{3}) (\d{4}) (\S+) ([A-Z0-9_]+)/(\d)/([A-Za-z0-9_]+): ?(.*)$`,
);

/** Cisco's three framings; the format name says which OS wrote the line. */
export function parseCiscoFraming(line: string, _ctx?: FormatContext): LogRecord | undefined {
  const m = CISCO.exec(line);
  if (!m) return undefined;
  const [, hostColon, hostBeforeNode, xrNode, yearFirst, mon, day, yearAfter, hh, mi, ss, frac, zone, hostOrProc, fac, sev, mnem, msg] = m;
  const hostBefore = hostColon ?? hostBeforeNode;
  const year = yearFirst ? Number(yearFirst) : yearAfter ? Number(yearAfter) : undefined;
  const stamp = stampOf(year, monthFromName(mon), Number(day), Number(hh), Number(mi), Number(ss), frac, zone);
  if (!stamp) return undefined;
  const format = xrNode ? 'cisco-iosxr' : yearFirst ? 'cisco-nxos' : 'cisco-ios';
  const timeStart = line.indexOf(mon) - (yearFirst ? 5 : 0);
  const timeEnd = line.indexOf(zone ? ` ${zone}` : `${hh}:${mi}:${ss}`) + (zone ? zone.length + 1 : 8 + (frac ? frac.length + 1 : 0));
  const rec: LogRecord = {
    stamp, timeText: line.slice(Math.max(0, timeStart), timeEnd).trim(), format,
    severity: severityFromSyslog(Number(sev)), message: `%${fac}-${sev}-${mnem}: ${msg}`,
  };
  // Before the mnemonic IOS-XR names the process (`bgp[1047]:`); IOS and NX-OS put the host there, when not in front.
  const host = format === 'cisco-iosxr' ? hostBefore : hostBefore ?? hostOrProc;
  if (host) rec.host = host;
  if (format === 'cisco-iosxr' && hostOrProc) rec.process = hostOrProc;
  return rec;
}

export function parseHuaweiFraming(line: string): LogRecord | undefined {
  const m = HUAWEI.exec(line);
  if (!m) return undefined;
  const [, mon, day, year, hh, mi, ss, frac, offset, host, , mod, sev, name, msg] = m;
  const stamp = stampOf(Number(year), monthFromName(mon), Number(day), Number(hh), Number(mi), Number(ss), frac, offset);
  if (!stamp) return undefined;
  return {
    stamp, timeText: line.slice(0, line.indexOf(` ${host} %%`)), format: 'huawei-vrp', host,
    severity: severityFromSyslog(Number(sev)), message: `${mod}/${sev}/${name}: ${msg}`,
  };
}

export function parseH3cFraming(line: string): LogRecord | undefined {
  const m = H3C.exec(line);
  if (!m) return undefined;
  const [, mon, day, hh, mi, ss, ms, year, host, mod, sev, name, msg] = m;
  const stamp = stampOf(Number(year), monthFromName(mon), Number(day), Number(hh), Number(mi), Number(ss), ms);
  if (!stamp) return undefined;
  return {
    stamp, timeText: line.slice(1, line.indexOf(` ${host} `)), format: 'h3c-comware', host,
    severity: severityFromSyslog(Number(sev)), message: `${mod}/${sev}/${name}: ${msg}`,
  };
}

/** A BGP FSM state name as vendors write it ('Established', 'ESTABLISHED', 'BGP_FSM_ESTABLISHED', '6') -> 'established'. */
export function normaliseBgpState(s: string): string {
  const v = s.replace(/^BGP_FSM_/i, '').replace(/[\s_-]/g, '').toLowerCase();
  const numeric: Record<string, string> = { '1': 'idle', '2': 'connect', '3': 'active', '4': 'opensent', '5': 'openconfirm', '6': 'established' };
  return Object.hasOwn(numeric, v) ? numeric[v] : v;
}

/** From -> to: leaving Established is a peer-down, reaching it a peer-up, anything else a state change. */
export function bgpTransition(from: string | undefined, to: string): Classification {
  const f = from !== undefined ? normaliseBgpState(from) : undefined;
  const t = normaliseBgpState(to);
  const kind = t === 'established' ? 'bgp-peer-up' : f === 'established' ? 'bgp-peer-down' : 'bgp-state-change';
  const c: Classification = { kind, toState: to };
  if (from !== undefined) c.fromState = from;
  return c;
}

interface VendorRule {
  /** Cheap substring test before the regular expression. */
  has: string;
  re: RegExp;
  format: string;
  build(m: RegExpExecArray): Classification;
}

const ADJ_SEVERITY: Record<string, Severity> = { Up: 'notice', Down: 'warning' };

const VENDOR_RULES: VendorRule[] = [
  {
    // Arista EOS: %BGP-5-ADJCHANGE: peer 192.0.2.2 (VRF default AS 12345) old state Established event AdminReset new state Idle
    has: 'old state',
    re: new RegExp(String.raw`%BGP-\d-ADJCHANGE: peer (${IP_SRC}) \((?:VRF (\S+) )?AS (\d+)\) old state (\w+) event (\w+) new state (\w+)`),
    format: 'arista-eos',
    build: (m) => ({ ...bgpTransition(m[4], m[6]), peer: m[1], peerAs: Number(m[3]) }),
  },
  {
    // Cisco IOS/IOS-XE/NX-OS/IOS-XR: %BGP-5-ADJCHANGE: neighbor 10.1.1.2 Down BGP Notification sent
    // NX-OS: %BGP-5-ADJCHANGE:  bgp-65000 [5432] (default) neighbor 10.1.1.2 Down - sent: holdtimer expired error
    // IOS-XR: %ROUTING-BGP-5-ADJCHANGE : neighbor 10.1.1.2 Down - BGP Notification sent, hold time expired (VRF: default) (AS: 65001)
    // (newer IOS-XR: %ROUTING-BGP-5-ADJCHANGE_DETAIL : neighbor ... with the same text and more in parentheses)
    has: 'ADJCHANGE',
    re: new RegExp(String.raw`%(?:ROUTING-)?BGP-\d-ADJCHANGE(?:_DETAIL)? ?: +(?:bgp-\d+ \[\d+\] (?:\(\S+\) )?)?neighbor (${IP_SRC})(?:\s+vpn vrf \S+)? (Up|Down)\b(?:.*\(AS: (\d+)\))?`),
    format: 'cisco',
    build: (m) => {
      const c: Classification = { kind: m[2] === 'Up' ? 'bgp-peer-up' : 'bgp-peer-down', peer: m[1], toState: m[2], severity: ADJ_SEVERITY[m[2]] };
      if (m[3]) c.peerAs = Number(m[3]);
      return c;
    },
  },
  {
    // Junos: RPD_BGP_NEIGHBOR_STATE_CHANGED: BGP peer 1.1.1.1 (External AS 2222) changed state from OpenConfirm to Idle (event TransportError)
    has: 'changed state from',
    re: new RegExp(String.raw`BGP peer (${IP_SRC})(?:\+\d+)? \((?:External|Internal) AS (\d+)\) changed state from (\w+) to (\w+)`),
    format: 'junos',
    build: (m) => ({ ...bgpTransition(m[3], m[4]), peer: m[1], peerAs: Number(m[2]) }),
  },
  {
    // Junos trace / older rpd messages: bgp_event: peer 10.0.0.2 (External AS 65002) old state Established event HoldTime new state Idle
    has: 'old state',
    re: new RegExp(String.raw`peer (${IP_SRC})(?:\+\d+)? \((?:External|Internal) AS (\d+)\) old state (\w+) event (\w+) new state (\w+)`),
    format: 'junos',
    build: (m) => ({ ...bgpTransition(m[3], m[5]), peer: m[1], peerAs: Number(m[2]) }),
  },
  {
    // Huawei VRP: BGP/2/PEER_BACKWARDTRANS_NOTIFICATION: The BGP FSM moved from a higher numbered state to a lower numbered state. (BgpPeerRemoteAddr=10.1.1.2, BgpPeerLastError=..., BgpPeerState=1, ...)
    // also hwBgpPeerBackwardTransition / bgpBackwardTransition and their _clear (entered Established).
    has: 'BgpPeerRemoteAddr=',
    // (through syslog the mnemonic may land in the tag: only the text after it is required)
    re: new RegExp(String.raw`(?:BGP/\d/(\w+): ?)?The BGP FSM (moved|moves|enters)[^(]*\(BgpPeerRemoteAddr=(${IP_SRC})[^)]*`),
    format: 'huawei-vrp',
    build: (m) => {
      const up = m[2] === 'enters' || /_clear$/i.test(m[1] ?? '');
      const c: Classification = { kind: up ? 'bgp-peer-up' : 'bgp-peer-down', peer: m[3] };
      const state = /BgpPeerState=(\w+)/.exec(m[0]);
      if (state) c.toState = normaliseBgpState(state[1]);
      else if (up) c.toState = 'established';
      return c;
    },
  },
  {
    // Huawei VRP: BGP/3/STATE_CHG_UPDOWN: The status of the peer 10.1.1.2 changed from ESTABLISHED to IDLE. (InstanceName=Public, StateChangeReason=...)
    has: 'The status of the peer',
    re: new RegExp(String.raw`The status of the peer (${IP_SRC}) changed from (\w+) to (\w+)`),
    format: 'huawei-vrp',
    build: (m) => ({ ...bgpTransition(m[2], m[3]), peer: m[1] }),
  },
  {
    // H3C Comware: BGP/5/BGP_STATE_CHANGED: BGP.vpn1: 10.1.1.2 state has changed from ESTABLISHED to IDLE.
    // older Comware: BGP/5/BGP_STATE_CHANGED: 10.1.1.2 state is changed from ESTABLISHED to IDLE.
    // (through RFC 3164 the mnemonic lands in the tag, so only the text after it is required)
    has: 'changed from',
    // (Comware 7 names the instance and VPN: "BGP.vpn1: ", "BGP default.: ")
    re: new RegExp(String.raw`(?:^|BGP_STATE_CHANGED: )(?:BGP[ .][\w.-]*: |BGP: )?(${IP_SRC}) state (?:has|is) changed from (\w+) to (\w+)`),
    format: 'h3c-comware',
    build: (m) => ({ ...bgpTransition(m[2], m[3]), peer: m[1] }),
  },
  {
    // Nokia SR OS, event bgpBackwardTransNotification (2039): (ASN 65000) VR 1: Group g: Peer 10.1.1.2: moved from higher
    // state ESTABLISHED to lower state IDLE due to event HOLD TIME EXPIRED (the ASN is the router's own; how the peer
    // name is spelled varies by release, the address before the colon does not)
    has: 'moved from higher state',
    re: new RegExp(String.raw`(${IP_SRC}): moved from higher state (\w+) to lower state (\w+)`),
    format: 'nokia-sros',
    build: (m) => ({ ...bgpTransition(m[2], m[3]), peer: m[1] }),
  },
  {
    // OpenBGPD (OpenBSD bgpd, openbgpd-portable): neighbor 10.1.1.2 (spine1): state change Established -> Idle, reason: NOTIFICATION received
    // (the peer may carry a prefix length, "neighbor 10.1.1.0/24", for a template; the description is optional)
    has: 'state change ',
    re: new RegExp(String.raw`neighbor (${IP_SRC})(?:/\d+)?(?: \(([^)]*)\))?: state change (\w+) -> (\w+)`),
    format: 'openbgpd',
    build: (m) => {
      const c: Classification = { ...bgpTransition(m[3], m[4]), peer: m[1] };
      if (m[2]) c.peerName = m[2];
      return c;
    },
  },
  {
    // Brocade/Extreme NetIron (MLX, CER): BGP: Peer 10.1.1.2 DOWN (Hold Timer Expired); BGP: Peer (VRF: blue) 10.1.1.2 UP (ESTABLISHED)
    // (through RFC 3164 "BGP" is the tag, so the message starts at "Peer")
    has: 'Peer ',
    re: new RegExp(String.raw`(?:^|BGP: )Peer (?:\(VRF: [^)]*\) )?(${IP_SRC}) (UP|DOWN) \(([^)]*)\)`),
    format: 'netiron',
    build: (m) => ({
      kind: m[2] === 'UP' ? 'bgp-peer-up' : 'bgp-peer-down', peer: m[1], toState: m[2] === 'UP' ? 'established' : 'down',
      severity: m[2] === 'UP' ? 'notice' : 'warning',
    }),
  },
];

/**
 * A rule is tried only when the message includes its `has` string: one of them is implied by any result (or the
 * message is OpenBGPD's whole "startup" line).
 */
export const vendorAnchors: ClassifierAnchors = { anywhere: [...new Set(VENDOR_RULES.map((r) => escapeRegExp(r.has)))], atStart: ['startup$'] };

/** Vendor BGP neighbor messages, in whatever framing they arrive. */
export const vendorClassifier: Classifier = (message, rec) => {
  // OpenBGPD's parent process says "startup" as it starts (bgpd.c); other OpenBSD daemons say it too, so the process counts.
  if (message === 'startup') return rec.process === 'bgpd' ? { kind: 'process-restart', toState: 'started', format: 'openbgpd' } : undefined;
  for (const rule of VENDOR_RULES) {
    if (!message.includes(rule.has)) continue;
    const m = rule.re.exec(message);
    if (!m) continue;
    const c = rule.build(m);
    // Keep the framing's precise name (cisco-nxos...) when it already names the vendor.
    if (rule.format !== 'cisco' || !rec.format.startsWith('cisco')) c.format = rule.format === 'cisco' ? 'cisco-ios' : rule.format;
    if (rec.format.startsWith(rule.format)) delete c.format;
    return c;
  };
  return undefined;
};

/** The vendors' own framings as one line format (lines with a standard syslog header go through syslog.ts). */
export function createVendorFormat(): LineFormat {
  return {
    name: 'vendor',
    parse(line: string) {
      const c = line.charCodeAt(0);
      if (c === 37 /* % */) return parseH3cFraming(line);
      return parseHuaweiFraming(line) ?? parseCiscoFraming(line);
    },
  };
}
