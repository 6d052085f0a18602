/**
 * The words a person reads: one paragraph per chain, one per pattern, one line per hypothesis, and the terminal
 * summary the CLI prints. Times of day are UTC.
 */
import type { Chain, ChainPattern, ChainStep, ChainStepKind, Hypothesis } from '../model/correlation';

/** A lag or duration: milliseconds below 0.1 s (2 ms, 83 ms), else seconds with at most 2 decimals (0.4 s, 3.1 s, 12 s). */
export function seconds(ms: number): string {
  if (Math.abs(ms) < 100) return `${Math.round(ms) || 0} ms`;
  const s = ms / 1000;
  const text = (Math.abs(s) >= 10 ? s.toFixed(1) : s.toFixed(2)).replace(/\.?0+$/, '');
  return `${text === '-0' ? '0' : text} s`;
}

/** Time of day, UTC, to the millisecond with trailing zeros dropped: 10:00:01.2. */
export function clock(timeUs: number): string {
  const d = new Date(Math.floor(timeUs / 1000));
  const hms = d.toISOString().slice(11, 19);
  const ms = String(d.getUTCMilliseconds()).padStart(3, '0').replace(/0+$/, '');
  return ms ? `${hms}.${ms}` : hms;
}

const KIND_LABEL: Record<ChainStepKind, string> = {
  restart: 'restart',
  'peer-down': 'peer down',
  loop: 'loop start',
  timeouts: 'first failed request sent',
  stalls: 'first TCP stall',
  'loop-end': 'loop end',
  'peer-up': 'peer up',
};

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

function clause(chain: Chain, s: ChainStep, lag: string): string | null {
  const f = s.facts ?? {};
  switch (s.kind) {
    case 'peer-down': {
      const who = f.observer ? `${f.observer}'s BGP session` : 'the BGP session';
      const peer = f.peer && !chain.subjectAddresses?.includes(f.peer) ? ` (${f.peer})` : '';
      return `${who} to it${peer} went down ${lag}`;
    }
    case 'loop': {
      const between = f.routers && f.routers.length >= 2 ? `${f.routers.join('<->')} ` : '';
      const hops = f.ttlStep ? `${f.ttlStep}-hop ` : '';
      const what = f.prefixes?.length ? ` for ${f.prefixes.join(', ')}` : '';
      const lasted = f.durationMs !== undefined ? ` and lasted ${seconds(f.durationMs)}` : '';
      const packets = f.loopedPackets !== undefined ? `; ${plural(f.loopedPackets, 'packet')} looped` : '';
      return `a ${between}${hops}loop${what} started ${lag}${lasted}${packets}`;
    }
    case 'stalls': {
      const notes = [];
      if (f.unansweredStalls) notes.push(`${f.unansweredStalls} never answered`);
      if (f.longestStallMs) notes.push(`longest ${seconds(f.longestStallMs)}`);
      return `${plural(f.stalls ?? 0, 'TCP flow')} stalled${notes.length ? ` (${notes.join(', ')})` : ''}`;
    }
    case 'timeouts': {
      const parts = [];
      if (f.requests) parts.push(`${plural(f.requests, 'client request')} timed out`);
      if (f.failedRequests) parts.push(`${f.failedRequests} failed`);
      if (f.slowResponses) parts.push(`${plural(f.slowResponses, 'response')} ${f.slowResponses === 1 ? 'was' : 'were'} slow`);
      return `${parts.join(' and ')} in that window`;
    }
    case 'peer-up':
      return `the session came back up at ${clock(s.timeUs)}`;
    case 'loop-end':
      return null; // told by the loop clause ("lasted ...")
    default:
      return s.summary;
  }
}

const CAUSAL: readonly ChainStepKind[] = ['restart', 'peer-down', 'loop', 'loop-end', 'timeouts', 'stalls', 'peer-up'];
/** Steps whose clause says how long after the one before it they came. */
const TIMED: ReadonlySet<ChainStepKind> = new Set(['peer-down', 'loop']);

/**
 * "kube-router on node-3 restarted at 10:00:01.2; the BGP session to it went down 0.4 s later; a loop ... started
 * 0.1 s after that and lasted 3.1 s; ...". Clauses in causal order; each timed clause's lag is from the timed step before.
 */
export function describeChain(chain: Chain): string {
  const steps = [...chain.steps].sort((a, b) => CAUSAL.indexOf(a.kind) - CAUSAL.indexOf(b.kind));
  const [first, ...rest] = steps;
  if (!first) return '';
  const about = first.timeNote ? 'about ' : '';
  const parts: string[] = [
    first.kind === 'restart' ? `${chain.subject} restarted at ${about}${clock(first.timeUs)}` : `${first.summary} at ${clock(first.timeUs)}`,
  ];
  let lastTimed = first;
  for (const s of rest) {
    const ms = (s.timeUs - lastTimed.timeUs) / 1000;
    const later = lastTimed === first ? 'later' : 'after that';
    const lag = Math.abs(ms) < 0.5 ? 'at the same moment' : ms < 0 ? `${seconds(-ms)} before` : `${seconds(ms)} ${later}`;
    const text = clause(chain, s, lag);
    if (TIMED.has(s.kind)) lastTimed = s;
    if (text !== null) parts.push(text);
  }
  return `${parts.join('; ')}.`;
}

/** "restart -> peer down +0.41 s (0.38-0.45) -> loop start +0.1 s -> ...": median lag, range when it varies. */
function lagText(p: ChainPattern): string {
  if (!p.lags.length) return KIND_LABEL[p.shape[0]!] ?? '';
  const steps = p.lags.map((l) => {
    const range = seconds(l.maxMs) !== seconds(l.minMs) ? ` (${seconds(l.minMs)} to ${seconds(l.maxMs)})` : '';
    return `${KIND_LABEL[l.to]} +${seconds(l.medianMs)}${range}`;
  });
  return [KIND_LABEL[p.lags[0]!.from], ...steps].join(' -> ');
}

/** "This happened 3 times; each time in the same order: ... (p = 0.001, permutation test ...)." */
export function describePattern(p: ChainPattern): string {
  const order = p.sameOrder === false ? 'the order of the steps varied' : 'each time in the same order';
  const who = p.subjects && p.subjects.length > 1 ? ` (${p.subjects.join('; ')})` : '';
  let chance: string;
  if (p.pValue === null) chance = 'Too few restarts inside the captured time to test it against chance.';
  else if (p.significant) chance = `An alignment this tight by chance: p = ${formatP(p.pValue)} (permutation test): significant.`;
  else chance = `An alignment this tight by chance: p = ${formatP(p.pValue)} (permutation test): could be chance.`;
  return `This happened ${p.occurrences} times${who}; ${order}. Median lags (range): ${lagText(p)}. ${chance}`;
}

function formatP(p: number): string {
  return p >= 0.01 ? p.toFixed(2) : String(Number(p.toPrecision(1)));
}

const NAME: Record<string, string> = {
  'routing-loop-after-bgp-loss': 'A routing loop after a BGP session loss',
  'cpu-throttling': 'CPU throttling',
  'packet-loss-without-loop': 'Packet loss without a loop',
  application: 'The application itself',
};

/** "CPU throttling does not explain it: throttled periods show no rise in those windows (...)." */
export function describeHypothesis(h: Hypothesis): string {
  const name = NAME[h.id] ?? h.title;
  switch (h.verdict) {
    case 'supported':
      return `${name} explains it: ${h.reasoning}.`;
    case 'rejected':
      return `${name} does not explain it: ${h.reasoning}.`;
    default:
      return `${name}: inconclusive: ${h.reasoning}.`;
  }
}

/** The paragraphs the CLI prints after an analysis. */
export function terminalSummary(r: { chains: Chain[]; patterns: ChainPattern[]; hypotheses: Hypothesis[] }): string {
  const paragraphs: string[] = [];
  if (!r.chains.length) paragraphs.push('No restart was followed by a BGP session loss or a routing loop.');
  for (const p of r.patterns) {
    const first = r.chains.find((c) => c.id === p.chainIds[0]);
    paragraphs.push(`${first ? `${first.summary} ` : ''}${p.summary}`);
  }
  for (const c of r.chains) if (!c.patternId) paragraphs.push(c.summary);
  if (r.hypotheses.length) {
    paragraphs.push(['Explanations for the timeouts, most likely first:', ...r.hypotheses.map((h) => `  - ${describeHypothesis(h)}`)].join('\n'));
  }
  return `${paragraphs.join('\n\n')}\n`;
}
