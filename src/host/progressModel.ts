/** Progress notification text and percentage from the core's progress. No `vscode` import. */
import * as path from 'node:path';
import type { AnalyzeProgress } from '../core/model';

const PHASE_TEXT: Record<AnalyzeProgress['phase'], string> = {
  scanning: 'finding files',
  captures: 'reading captures',
  logs: 'reading logs',
  correlating: 'correlating',
  done: 'done',
};

/** 0..100, never NaN; 100 only when done. */
export function progressPercent(p: AnalyzeProgress): number {
  if (p.phase === 'done') return 100;
  if (!(p.bytesTotal > 0)) return 0;
  return Math.max(0, Math.min(99, Math.floor((p.bytesDone / p.bytesTotal) * 100)));
}

/** "reading captures: loop.pcapng (42%)" */
export function progressText(p: AnalyzeProgress): string {
  const phase = PHASE_TEXT[p.phase] ?? p.phase;
  const file = p.file ? `: ${path.basename(p.file)}` : '';
  const pct = p.bytesTotal > 0 && p.phase !== 'done' ? ` (${progressPercent(p)}%)` : '';
  return p.message ? `${phase}${file}${pct} · ${p.message}` : `${phase}${file}${pct}`;
}
