/**
 * "Export PNG": the page's canvases (timeline, then ladder) stacked on one image with the editor background,
 * sent to the host as a data URL (the host asks where to save it), or downloaded in a snapshot.
 */
import type { WebviewToHost } from '../src/shared/webviewProtocol';
import { host } from './host';
import { readPalette } from './theme';

export function exportPng(root: HTMLElement, post: (m: WebviewToHost) => void, snapshot: boolean): void {
  const canvases = [...root.querySelectorAll<HTMLCanvasElement>('canvas.timeline-canvas, canvas.ladder-canvas')].filter((c) => c.width > 1);
  if (!canvases.length) return;
  const gap = 8;
  const out = document.createElement('canvas');
  out.width = Math.max(...canvases.map((c) => c.width));
  out.height = canvases.reduce((h, c) => h + c.height + gap, 0);
  const ctx = out.getContext('2d')!;
  ctx.fillStyle = readPalette().background;
  ctx.fillRect(0, 0, out.width, out.height);
  let y = 0;
  for (const c of canvases) {
    ctx.drawImage(c, 0, y);
    y += c.height + gap;
  }
  const dataUrl = out.toDataURL('image/png');
  if (snapshot) out.toBlob((b) => b && host.download('incident-lens-view.png', b, 'image/png'));
  else post({ type: 'export', format: 'png', dataUrl });
}
