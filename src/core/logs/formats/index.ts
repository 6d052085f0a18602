/**
 * The line formats, fresh per file (several keep state), in the order they are tried. Order settles the few
 * ambiguous shapes: the user's own formats first; structured and prefixed shapes before the generic ones
 * (CRI and kubectl-timestamps before syslog-with-ISO-time, everything before the plain ISO line).
 */
import type { CustomLogFormat } from '../../model/analysis';
import type { LineFormat } from '../types';
import { createAppFormat } from './app';
import { createBirdFormat } from './bird';
import { createCustomFormats } from './custom';
import { createFrrFormat } from './frr';
import { createLogfmtFormat } from './gobgp';
import { createIsoFormat } from './iso';
import { createJsonFormat } from './json';
import { createDescribeFormat } from './kubeDescribe';
import { createEventsTableFormat } from './kubeEventsTable';
import { createCriFormat, createKlogFormat } from './kubernetes';
import { createSyslogFormat } from './syslog';
import { createThrottlingFormat } from './throttling';
import { createVendorFormat } from './vendorSyslog';

export interface FormatSet {
  formats: LineFormat[];
  /** Names of the user's formats: their matches are events even when no rule knows the message. */
  customNames: Set<string>;
  /** The user's formats are the first this many of `formats`. */
  userFormats: number;
}

/** `wrapped`: formats for a line found inside another (CRI, Docker, kubectl --timestamps): no wrappers, no multi-line state. */
export function createFormats(custom: CustomLogFormat[] = [], slowResponseMs?: number, wrapped = false): FormatSet {
  const user = createCustomFormats(custom, slowResponseMs);
  const common = [
    createJsonFormat(), createKlogFormat(), createLogfmtFormat(), createFrrFormat(), createBirdFormat(),
    createAppFormat(slowResponseMs), createVendorFormat(), createSyslogFormat(),
  ];
  const formats = wrapped
    ? [...user, ...common, createIsoFormat()]
    : [...user, createThrottlingFormat(), createCriFormat(), ...common, createDescribeFormat(), createEventsTableFormat(), createIsoFormat()];
  return { formats, customNames: new Set(custom.map((c) => c.name)), userFormats: user.length };
}
