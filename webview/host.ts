/**
 * The page's link to the extension host. Inside VS Code that is `acquireVsCodeApi()` (callable once); in an
 * exported snapshot opened in a browser there is no host, so messages go nowhere, state lives in
 * sessionStorage and exports become downloads.
 */
import type { WebviewToHost } from '../src/shared/webviewProtocol';

interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare const acquireVsCodeApi: (() => VsCodeApi) | undefined;

const api: VsCodeApi | null = typeof acquireVsCodeApi === 'function' ? acquireVsCodeApi() : null;

function download(name: string, data: string | Blob, type: string): void {
  const blob = typeof data === 'string' ? new Blob([data], { type }) : data;
  const a = document.createElement('a');
  a.href = URL.createObjectURL(blob);
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
}

export const host = {
  inVsCode: api !== null,
  postMessage(m: WebviewToHost): void {
    api?.postMessage(m);
  },
  getState(): unknown {
    if (api) return api.getState();
    try {
      return JSON.parse(sessionStorage.getItem('incident-lens-state') ?? 'null');
    } catch {
      return null;
    }
  },
  setState(s: unknown): void {
    if (api) api.setState(s);
    else
      try {
        sessionStorage.setItem('incident-lens-state', JSON.stringify(s));
      } catch {
        // Storage can be disabled (file:// in some browsers); the view simply starts fresh next time.
      }
  },
  download,
};
