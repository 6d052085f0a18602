/**
 * The page of the capture editor: a summary of the file (format, interfaces, packets, time span, problems)
 * and an "Analyze" button. No `vscode` import, so tests check the escaping and the CSP.
 *
 * Every string from the file (interface names, descriptions, problem texts) goes through escapeHtml, and the
 * CSP is the Report panel's (webviewHtml.ts). The page's only script is nonce-tagged and posts two kinds of message; the host validates them (isCaptureEditorMessage).
 */
import type { CaptureSummary } from '../core/capture/types';
import { isoFromSecNsec, type LoopEpisode } from '../core/model';
import { formatClock, formatDuration, plural } from './format';
import { buildCsp, escapeHtml, htmlDocument } from './webviewHtml';

/** webview -> host */
export type CaptureEditorMessage = { type: 'analyze' } | { type: 'show-log' } | { type: 'show-timeline' };

export function isCaptureEditorMessage(m: unknown): m is CaptureEditorMessage {
  if (typeof m !== 'object' || m === null) return false;
  const t = (m as { type?: unknown }).type;
  return t === 'analyze' || t === 'show-log' || t === 'show-timeline';
}

export type CaptureEditorState =
  | { status: 'reading'; fileName: string; percent: number }
  | { status: 'ready'; fileName: string; summary: CaptureSummary; analysed: boolean; loops?: readonly LoopEpisode[] }
  | { status: 'error'; fileName: string; message: string };

/** Names of the link types people meet in captures; the number is shown too. */
const LINK_TYPES: Record<number, string> = {
  0: 'BSD loopback',
  1: 'Ethernet',
  9: 'PPP',
  12: 'raw IP',
  101: 'raw IP',
  105: 'IEEE 802.11',
  108: 'OpenBSD loopback',
  113: 'Linux cooked (SLL)',
  127: 'radiotap',
  228: 'raw IPv4',
  229: 'raw IPv6',
  276: 'Linux cooked v2 (SLL2)',
};

export function linkTypeName(t: number): string {
  return LINK_TYPES[t] ? `${LINK_TYPES[t]} (${t})` : `link type ${t}`;
}

function row(name: string, value: string): string {
  return `<tr><th scope="row">${escapeHtml(name)}</th><td>${escapeHtml(value)}</td></tr>`;
}

function summaryHtml(s: CaptureSummary): string {
  const span =
    s.firstTime && s.lastTime
      ? `${isoFromSecNsec(s.firstTime.sec, s.firstTime.nsec)} – ${isoFromSecNsec(s.lastTime.sec, s.lastTime.nsec)} (${formatDuration(
          (s.lastTime.sec - s.firstTime.sec) * 1000 + (s.lastTime.nsec - s.firstTime.nsec) / 1e6,
        )})`
      : 'no timestamps';
  const rows = [
    row('Format', `${s.format ?? 'unknown'}${s.version ? ` ${s.version}` : ''}${s.byteOrder ? `, ${s.byteOrder === 'le' ? 'little' : 'big'}-endian` : ''}`),
    row('Size', `${s.fileSize.toLocaleString('en-US')} bytes${s.bytesRead < s.fileSize ? ` (${s.bytesRead.toLocaleString('en-US')} read)` : ''}`),
    row('Packets', s.packets.toLocaleString('en-US')),
    row('Time span', span),
    ...(s.sections > 1 ? [row('Sections', String(s.sections))] : []),
    ...(s.skippedBlocks ? [row('Blocks skipped', String(s.skippedBlocks))] : []),
  ];
  const ifaces = s.interfaces
    .map(
      (i) =>
        `<li>${escapeHtml(`#${i.interfaceId}${s.sections > 1 ? ` (section ${i.section})` : ''}: ${linkTypeName(i.linkType)}, snaplen ${i.snapLen}, resolution ${i.tsResolution}`)}${
          i.name ? ` · <code>${escapeHtml(i.name)}</code>` : ''
        }${i.description ? ` · ${escapeHtml(i.description)}` : ''}</li>`,
    )
    .join('');
  const problems = s.problems.length
    ? `<h2>${escapeHtml(plural(s.problems.length, 'problem'))}</h2><ul class="problems">${s.problems
        .map(
          (p) =>
            `<li class="${p.fatal ? 'fatal' : 'warn'}">${escapeHtml(`byte ${p.byteOffset.toLocaleString('en-US')}: ${p.reason}`)}${
              p.fatal ? ' <em>(reading stopped here; every packet before it was kept)</em>' : ''
            }</li>`,
        )
        .join('')}</ul>`
    : '<p class="ok">No problems found in the file structure.</p>';
  return `<table>${rows.join('')}</table><h2>${escapeHtml(plural(s.interfaces.length, 'interface'))}</h2><ul>${ifaces}</ul>${problems}`;
}

/** After an analysis: the loop episodes found in this capture, one line each. */
function loopsHtml(loops: readonly LoopEpisode[]): string {
  if (loops.length === 0) return '<h2>No routing loops found</h2>';
  const items = loops
    .map((l) =>
      escapeHtml(
        `${l.id}: ${formatClock(l.start)}, ${formatDuration(l.durationMs)}, TTL step ${l.ttlStep}, ${plural(l.loopedPackets, 'looped packet')} to ${l.destinationPrefixes.join(', ') || '?'} (frames ${l.firstFrame}–${l.lastFrame})`,
      ),
    )
    .map((t) => `<li>${t}</li>`)
    .join('');
  return `<h2>${escapeHtml(plural(loops.length, 'routing loop'))}</h2><ul>${items}</ul>`;
}

export function captureEditorHtml(state: CaptureEditorState, nonce: string, cspSource: string): string {
  let body: string;
  if (state.status === 'reading') {
    body = `<p class="muted">Reading the capture… ${state.percent}%</p>`;
  } else if (state.status === 'error') {
    body = `<p class="error">${escapeHtml(state.message)}</p><p><button data-msg="show-log" class="secondary">Show Log</button></p>`;
  } else {
    body = `<p class="actions"><button data-msg="analyze">Analyze</button>${
      state.analysed ? ' <button data-msg="show-timeline" class="secondary">Show Timeline</button>' : ''
    }</p>${state.loops ? loopsHtml(state.loops) : ''}${summaryHtml(state.summary)}`;
  }
  const head = `<style nonce="${nonce}">
  body { font-family: var(--vscode-font-family); color: var(--vscode-foreground); padding: 0 1.5em; }
  h1 { font-size: 1.3em; font-weight: 600; } h2 { font-size: 1.05em; margin-top: 1.5em; }
  th { text-align: left; padding-right: 1.5em; color: var(--vscode-descriptionForeground); font-weight: normal; }
  td, th { padding-top: .2em; padding-bottom: .2em; vertical-align: top; }
  code { font-family: var(--vscode-editor-font-family); }
  .muted { color: var(--vscode-descriptionForeground); }
  .error, .fatal { color: var(--vscode-errorForeground); }
  .warn { color: var(--vscode-editorWarning-foreground); }
  .ok { color: var(--vscode-descriptionForeground); }
  button { background: var(--vscode-button-background); color: var(--vscode-button-foreground); border: 1px solid var(--vscode-button-border, transparent); padding: .35em 1em; cursor: pointer; }
  button:hover { background: var(--vscode-button-hoverBackground); }
  button.secondary { background: var(--vscode-button-secondaryBackground); color: var(--vscode-button-secondaryForeground); }
  button:focus-visible { outline: 1px solid var(--vscode-focusBorder); outline-offset: 2px; }
</style>`;
  return htmlDocument(state.fileName, buildCsp({ nonce, cspSource }), head, `<h1>${escapeHtml(state.fileName)}</h1>
${body}
<script nonce="${nonce}">
  const vscode = acquireVsCodeApi();
  for (const b of document.querySelectorAll('button[data-msg]')) {
    b.addEventListener('click', () => vscode.postMessage({ type: b.dataset.msg }));
  }
</script>`);
}
