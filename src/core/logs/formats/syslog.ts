/**
 * Syslog framings: RFC 5424, RFC 3164 (with <PRI>), and the files syslog daemons and journalctl write
 * (`journalctl -o short` / `short-precise` / `short-iso` / `short-iso-precise` / `short-full`, rsyslog's traditional format):
 * a timestamp, a host, then `tag[pid]: message`. Vendor messages inside (Junos, Arista, Cisco...) are recognised
 * later by the classifiers, from the message.
 */
import type { Classifier, ClassifierAnchors, FormatContext, LineFormat, LogRecord } from '../types';
import { ISO_STAMP_SRC, monthFromName, parseIsoStamp, stampOf } from '../timestamps';
import { severityFromSyslog, severityFromWord } from './common';
import { parseCiscoFraming } from './vendorSyslog';

const BSD_STAMP = String.raw`([A-Z][a-z]{2}) {1,2}(\d{1,2}) (\d\d):(\d\d):(\d\d)(?:\.(\d{1,9}))?`;
/**
 * `host tag[pid]: msg`, `host tag: msg`; a tag is a program name, maybe with a path or dots. BusyBox syslogd (Alpine,
 * OpenWrt, many appliances) writes the facility and level between host and tag: `host daemon.info tag[pid]: msg`.
 */
const BODY = String.raw`(\S+) (?:[a-z0-9]+\.(?:emerg|alert|crit|err|warn|warning|notice|info|debug) )?([^\s:[\]]+)(?:\[(\d+)\])?: ?(.*)`;

/** `journalctl -o short-full`: `Tue 2026-11-24 10:00:01 UTC host tag[pid]: msg` (weekday, date, time, zone). */
const FULL_LINE = new RegExp(String.raw`^(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) (\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(?:\.\d{1,9})?) ([A-Z]{2,5}|[+-]\d\d:?\d\d) ${BODY}$`);
const RFC3164 = new RegExp(String.raw`^<(\d{1,3})>(?:\d+ )?(.*)$`);
const BSD_LINE = new RegExp(`^${BSD_STAMP}(?: (\\d{4}))? +${BODY}$`);
const ISO_LINE = new RegExp(`^(${ISO_STAMP_SRC}) ${BODY}$`);
const RFC5424 = new RegExp(
  String.raw`^<(\d{1,3})>1 (\S+) (\S+) (\S+) (\S+) (\S+) (-|(?:\[(?:[^\]\\]|\\.)*\])+)(?: \uFEFF?(.*))?$`,
);

function bodyRecord(
  rec: Omit<LogRecord, 'message' | 'host' | 'process'>, host: string, tag: string, msg: string,
): LogRecord {
  return { ...rec, host, process: tag, message: msg };
}

/** `Nov 24 10:00:01[.frac] host tag[pid]: msg` (journalctl short / short-precise, rsyslog files); some devices add the year. */
export function parseBsdLine(text: string, format: string): LogRecord | undefined {
  const m = BSD_LINE.exec(text);
  if (!m) return undefined;
  const year = m[7] ? Number(m[7]) : undefined;
  const stamp = stampOf(year, monthFromName(m[1]), Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5]), m[6]);
  if (!stamp) return undefined;
  // Up to the host, without the blank(s) before it (some relays write two).
  const timeText = text.slice(0, text.indexOf(m[8])).trimEnd();
  return bodyRecord({ stamp, timeText, format: m[6] ? `${format}-precise` : format }, m[8], m[9], m[11]);
}

export function createSyslogFormat(): LineFormat {
  return {
    name: 'syslog',
    parse(line: string, ctx: FormatContext) {
      const c = line.charCodeAt(0);
      if (c === 60 /* < */) return parsePri(line, ctx);
      if (c >= 65 && c <= 90) return parseBsdLine(line, 'journald-short') ?? parseFullLine(line);
      if (c >= 48 && c <= 57) return parseIsoLine(line, 'journald-short-iso');
      return undefined;
    },
  };
}

/** `2026-11-24T10:00:01.123+01:00 host tag[pid]: msg` (journalctl short-iso, rsyslog's RFC 3339 file format). */
function parseIsoLine(line: string, format: string): LogRecord | undefined {
  const m = ISO_LINE.exec(line);
  if (!m) return undefined;
  const stamp = parseIsoStamp(m[1]);
  if (!stamp) return undefined;
  // "2026-... INFO foo: bar" also fits `host tag:`: a host is never a level word, a tag starts with a letter.
  if (severityFromWord(m[2]) || !/^[A-Za-z]/.test(m[3])) return undefined;
  return bodyRecord({ stamp, timeText: m[1], format }, m[2], m[3], m[5]);
}

function parseFullLine(line: string): LogRecord | undefined {
  const m = FULL_LINE.exec(line);
  if (!m) return undefined;
  const iso = parseIsoStamp(m[1]);
  if (!iso) return undefined;
  const stamp = stampOf(iso.year, iso.month, iso.day, iso.hour, iso.minute, iso.second, m[1].split('.')[1], m[2]);
  if (!stamp) return undefined;
  return bodyRecord({ stamp, timeText: `${m[1]} ${m[2]}`, format: 'journald-short-full' }, m[3], m[4], m[6]);
}

function parsePri(line: string, ctx: FormatContext): LogRecord | undefined {
  const m5 = RFC5424.exec(line);
  if (m5) {
    const pri = Number(m5[1]);
    const stamp = parseIsoStamp(m5[2]);
    if (!stamp && m5[2] !== '-') return undefined;
    const rec: LogRecord = {
      timeText: m5[2], format: 'rfc5424', severity: severityFromSyslog(pri), message: (m5[8] ?? '').trimStart(),
    };
    if (stamp) rec.stamp = stamp;
    if (m5[3] !== '-') rec.host = m5[3];
    if (m5[4] !== '-') rec.process = m5[4];
    return rec;
  }
  const m = RFC3164.exec(line);
  if (!m || Number(m[1]) > 191) return undefined;
  const severity = severityFromSyslog(Number(m[1]));
  const rest = m[2];
  const bsd = parseBsdLine(rest, 'rfc3164');
  if (bsd) return { ...bsd, format: 'rfc3164', severity };
  // Relays that keep the <PRI> but write an RFC 3339 time (rsyslog's forwarding templates, Arista EOS).
  const iso = parseIsoLine(rest, 'rfc3164');
  if (iso) return { ...iso, severity };
  // Cisco devices send `<189>123: router1: *Nov 24 10:00:01.123: %BGP-5-ADJCHANGE: ...` (no standard header).
  const cisco = parseCiscoFraming(rest, ctx);
  if (cisco) return { ...cisco, severity: cisco.severity ?? severity };
  return undefined;
}

// systemd about units: "Started frr.service - FRRouting.", "Stopping bird.service...", "x.service: Main process exited, code=killed".
const SYSTEMD = /^(Started|Stopping|Stopped) (\S+?)(?:\.service)?(?: - .*)?\.{0,3}$|^(\S+?)\.service: (Main process exited|Scheduled restart job)/;

/** SYSTEMD's two branches: 'Started ' / 'Stopping ' / 'Stopped ' at the start, or '.service: ' anywhere. */
export const systemdAnchors: ClassifierAnchors = { anywhere: [String.raw`\.service: `], atStart: ['St(?:arted|opping|opped) '] };

export const systemdClassifier: Classifier = (message, rec) => {
  if (rec.process !== 'systemd') return undefined;
  const m = SYSTEMD.exec(message);
  if (!m) return undefined;
  if (m[1]) return { kind: 'process-restart', process: m[2], toState: m[1] === 'Started' ? 'started' : 'stopping' };
  return { kind: 'process-restart', process: m[3], toState: m[4] === 'Main process exited' ? 'exited' : 'restarting' };
};
