/**
 * The HTML of the Report webview, as pure strings (no `vscode` import, so it is unit-tested under Node).
 * Two pages: the live panel (script and stylesheet loaded from the extension by URI, allowed by a strict CSP
 * with a per-render nonce) and the self-contained snapshot exported for incident reviews (script, style and
 * Report inlined; same CSP, nothing remote).
 */
import { randomBytes } from 'node:crypto';
import type { Report } from '../core/model';

/** 128 random bits, base64: a fresh one for every render, as CSP nonces must be unguessable. */
export function makeNonce(): string {
  return randomBytes(16).toString('base64');
}

export interface CspOptions {
  nonce: string;
  /** `webview.cspSource` for the live panel; absent for the snapshot (everything is inline). */
  cspSource?: string;
}

/**
 * default-src 'none'; scripts only with the nonce; styles from the extension (and the nonce'd inline block of the
 * snapshot); images as data:/blob: (canvas export); no eval, no inline handlers, no frames, no network.
 */
export function buildCsp({ nonce, cspSource }: CspOptions): string {
  const src = cspSource ? `${cspSource} ` : '';
  return [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    `style-src ${src}'nonce-${nonce}'`,
    `img-src ${src}data: blob:`,
    `font-src ${src}`.trim(),
    "connect-src 'none'",
    "frame-src 'none'",
    "form-action 'none'",
    "base-uri 'none'",
  ].join('; ');
}

/** Escapes text for an HTML text node or a double-quoted attribute. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * JSON inside `<script type="application/json">`: `<`, `>`, `&` and the JS line separators are escaped as \u
 * sequences, so no log line (e.g. one containing `</script>`) can end the element early.
 */
export function jsonForScriptElement(value: unknown): string {
  return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** An HTML document for a webview: the CSP and the title escaped, `head` and `body` as given (already safe). */
export function htmlDocument(title: string, csp: string, head: string, body: string): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${escapeHtml(csp)}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
${head}
</head>
<body>
${body}
</body>
</html>
`;
}

/** The page skeleton; `main.ts` builds everything inside #app. */
function page(head: string, body: string, title: string, csp: string): string {
  return htmlDocument(title, csp, head, `<main id="app" aria-label="${escapeHtml(title)}"></main>\n${body}`);
}

export interface PanelHtmlOptions {
  nonce: string;
  cspSource: string;
  /** `webview.asWebviewUri(dist/webview.js)` as a string. */
  scriptUri: string;
  /** `webview.asWebviewUri(media/webview.css)` as a string. */
  styleUri: string;
  title: string;
}

export function buildPanelHtml(o: PanelHtmlOptions): string {
  const csp = buildCsp({ nonce: o.nonce, cspSource: o.cspSource });
  return page(
    `<link rel="stylesheet" href="${escapeHtml(o.styleUri)}">`,
    `<script nonce="${escapeHtml(o.nonce)}" src="${escapeHtml(o.scriptUri)}"></script>`,
    o.title,
    csp,
  );
}

export interface SnapshotHtmlOptions {
  nonce: string;
  /** The contents of dist/webview.js. */
  script: string;
  /** The contents of media/webview.css. */
  style: string;
  report: Report;
  title: string;
}

/**
 * A single file that opens in any browser, offline: the webview bundle, its stylesheet and the Report inline.
 * The page has no VS Code theme, so the stylesheet's fallbacks (light colours) apply.
 */
export function buildSnapshotHtml(o: SnapshotHtmlOptions): string {
  const csp = buildCsp({ nonce: o.nonce });
  // A bundle cannot contain "</script" literally in an inline element; esbuild output is escaped the same way.
  const script = o.script.replace(/<\/script/gi, '<\\/script');
  const style = o.style.replace(/<\/style/gi, '<\\/style');
  return page(
    `<style nonce="${escapeHtml(o.nonce)}">\n${style}\n</style>`,
    `<script type="application/json" id="incident-lens-report">${jsonForScriptElement(o.report)}</script>
<script nonce="${escapeHtml(o.nonce)}">\n${script}\n</script>`,
    o.title,
    csp,
  );
}
