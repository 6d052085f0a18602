/** Which events count as what for the correlator (a state change out of Established is a peer down, too). */
import type { LogEvent } from '../model/events';

const ESTABLISHED = /establish/i;

export function isPeerDown(e: LogEvent): boolean {
  if (e.kind === 'bgp-peer-down') return true;
  return e.kind === 'bgp-state-change' && ESTABLISHED.test(e.fromState ?? '') && !ESTABLISHED.test(e.toState ?? '');
}

export function isPeerUp(e: LogEvent): boolean {
  if (e.kind === 'bgp-peer-up') return true;
  return e.kind === 'bgp-state-change' && ESTABLISHED.test(e.toState ?? '') && !ESTABLISHED.test(e.fromState ?? '');
}

export function isBgpChange(e: LogEvent): boolean {
  return e.kind === 'bgp-peer-down' || e.kind === 'bgp-peer-up' || e.kind === 'bgp-state-change';
}

/** A request that failed at the network level, logged by the client (connect errors are the loop's ICMP talking). */
const FAILED_REQUEST = /\b(EHOSTUNREACH|ENETUNREACH|ECONNRESET|ECONNREFUSED|ETIMEDOUT|no route to host|connection (?:refused|reset|timed out)|request failed)\b/i;

/** Timeouts, slow responses, and failed requests (a kind the log reader may add, or an error line that says so). */
export function isSymptom(e: LogEvent): boolean {
  if (e.kind === 'request-timeout' || e.kind === 'slow-response' || (e.kind as string) === 'request-failed') return true;
  return e.kind === 'other' && (e.severity === 'error' || e.severity === 'warning') && FAILED_REQUEST.test(e.message);
}

/** How many requests one event stands for (kubectl-style folded repeats carry a count). */
export function weight(e: LogEvent): number {
  return e.count !== undefined && e.count > 0 ? e.count : 1;
}

/** The time a symptom's request was in flight: [time - latency, time] (a timeout is logged when it expires). */
export function inFlight(e: LogEvent): { start: number; end: number } {
  const latencyUs = e.latencyMs !== undefined && e.latencyMs > 0 ? e.latencyMs * 1000 : 0;
  return { start: e.timeUs - latencyUs, end: e.timeUs };
}

/** Which session a BGP line is about: its peer, else the protocol name BIRD puts first ("node1: State changed to up"). */
export function peerKey(e: LogEvent): string | undefined {
  return e.peer ?? /^([\w.-]+):\s/.exec(e.message)?.[1];
}
