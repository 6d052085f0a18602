/**
 * Decides whether a record's message is an event, and of which kind, whatever framing carried it: a Junos message
 * arrives in RFC 3164, an FRR message in its own file or in journald, a Java timeout in logback or inside CRI.
 * Each family owns its rules; they are asked in this order and the first that recognises the message wins.
 */
import type { Classification, Classifier, LogRecord } from './types';
import { vendorClassifier } from './formats/vendorSyslog';
import { frrClassifier } from './formats/frr';
import { birdClassifier } from './formats/bird';
import { gobgpMessageClassifier } from './formats/gobgp';
import { kubeClassifier } from './formats/kubernetes';
import { systemdClassifier } from './formats/syslog';
import { appClassifier } from './formats/app';

const CLASSIFIERS: Classifier[] = [
  vendorClassifier,
  frrClassifier,
  birdClassifier,
  gobgpMessageClassifier,
  kubeClassifier,
  systemdClassifier,
  appClassifier,
];

export function classify(message: string, rec: LogRecord): Classification | undefined {
  for (const c of CLASSIFIERS) {
    const r = c(message, rec);
    if (r) return r;
  }
  return undefined;
}
