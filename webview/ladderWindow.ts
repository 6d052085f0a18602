/**
 * The time window the TTL ladder opens on for an episode: the episode plus a margin each side, so that the loop is
 * seen starting and ending amid the ordinary traffic (the Report's background band and ICMP marks reach 1 s beyond
 * the episode). The margin is a tenth of the episode, at most that 1 s: a short episode stays the bulk of the view.
 */
export const LADDER_CONTEXT_US = 1_000_000;

export function ladderMarginUs(startUs: number, endUs: number): number {
  return Math.max(1, Math.min(LADDER_CONTEXT_US, (endUs - startUs) * 0.1));
}
