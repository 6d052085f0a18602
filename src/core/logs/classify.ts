/**
 * Decides whether a record's message is an event, and of which kind, whatever framing carried it: a Junos message
 * arrives in RFC 3164, an FRR message in its own file or in journald, a Java timeout in logback or inside CRI.
 * Each family owns its rules; they are asked in this order and the first that recognises the message wins.
 *
 * Most messages are chatter that no family recognises. Each family names its anchors (text every one of its
 * results needs, see ClassifierAnchors): one scan for all of them rules such a message out before a dozen
 * families' substring searches and patterns run over it.
 */
import type { Classification, Classifier, ClassifierAnchors, LogRecord } from './types';
import { vendorAnchors, vendorClassifier } from './formats/vendorSyslog';
import { frrAnchors, frrClassifier } from './formats/frr';
import { birdAnchors, birdClassifier } from './formats/bird';
import { gobgpMessageAnchors, gobgpMessageClassifier } from './formats/gobgp';
import { kubeAnchors, kubeClassifier } from './formats/kubernetes';
import { systemdAnchors, systemdClassifier } from './formats/syslog';
import { appAnchors, appClassifier } from './formats/app';

export const CLASSIFIERS: { name: string; classify: Classifier; anchors: ClassifierAnchors }[] = [
  { name: 'vendor', classify: vendorClassifier, anchors: vendorAnchors },
  { name: 'frr', classify: frrClassifier, anchors: frrAnchors },
  { name: 'bird', classify: birdClassifier, anchors: birdAnchors },
  { name: 'gobgp', classify: gobgpMessageClassifier, anchors: gobgpMessageAnchors },
  { name: 'kube', classify: kubeClassifier, anchors: kubeAnchors },
  { name: 'systemd', classify: systemdClassifier, anchors: systemdAnchors },
  { name: 'app', classify: appClassifier, anchors: appAnchors },
];

/** A message none of these match is recognised by no family. (Start-anchored words get a pattern of their own: V8 scans the others faster without them.) */
export function anchorsTest(anchors: ClassifierAnchors[]): (message: string) => boolean {
  const anywhere = new RegExp(anchors.flatMap((a) => a.anywhere).join('|'));
  const starts = anchors.flatMap((a) => a.atStart ?? []);
  const atStart = new RegExp(starts.length ? `^(?:${starts.join('|')})` : '(?!)');
  return (message) => anywhere.test(message) || atStart.test(message);
}

export const mayClassify = anchorsTest(CLASSIFIERS.map((c) => c.anchors));

export function classify(message: string, rec: LogRecord): Classification | undefined {
  if (!mayClassify(message)) return undefined;
  for (const c of CLASSIFIERS) {
    const r = c.classify(message, rec);
    if (r) return r;
  }
  return undefined;
}
