/**
 * Canvas colours from VS Code's theme variables. Canvas cannot use `var(--x)`, so the computed values are read
 * once per theme: VS Code swaps the body class (vscode-light / vscode-dark / vscode-high-contrast) and the
 * variables when the user changes theme, and `watchTheme` re-reads them then.
 */

export interface Palette {
  foreground: string;
  muted: string;
  background: string;
  grid: string;
  focus: string;
  selection: string;
  /** One colour per direction (MAC pair) of a loop. */
  directions: string[];
  /** Event marks by rank (index = KIND_RANK). */
  ranks: string[];
  loopBand: string;
  /** TTL ladder: ordinary traffic around the loop (drawn faint) and ICMP time-exceeded marks. */
  ladderBackground: string;
  icmpMark: string;
  density: string;
  stall: string;
  throttle: string;
  chain: string;
  font: string;
  highContrast: boolean;
}

function cssVar(style: CSSStyleDeclaration, name: string, fallback: string): string {
  const v = style.getPropertyValue(name).trim();
  return v || fallback;
}

export function readPalette(root: HTMLElement = document.body): Palette {
  const s = getComputedStyle(root);
  const v = (name: string, fallback: string): string => cssVar(s, name, fallback);
  const fg = v('--vscode-editor-foreground', '#333333');
  const red = v('--vscode-charts-red', '#e51400');
  const blue = v('--vscode-charts-blue', '#1a85ff');
  const orange = v('--vscode-charts-orange', '#d18616');
  const green = v('--vscode-charts-green', '#388a34');
  const purple = v('--vscode-charts-purple', '#652d90');
  const yellow = v('--vscode-charts-yellow', '#bf8803');
  const muted = v('--vscode-descriptionForeground', '#717171');
  const fontFamily = v('--vscode-editor-font-family', v('--vscode-font-family', 'monospace'));
  const fontSize = v('--vscode-editor-font-size', '12px');
  return {
    foreground: fg,
    muted,
    background: v('--vscode-editor-background', '#ffffff'),
    grid: v('--vscode-editorWidget-border', v('--vscode-panel-border', '#c8c8c8')),
    focus: v('--vscode-focusBorder', '#0090f1'),
    selection: v('--vscode-editor-selectionBackground', '#add6ff'),
    directions: [blue, orange, green, purple, yellow, red],
    ranks: [muted, muted, muted, purple, green, orange, red],
    loopBand: red,
    ladderBackground: muted,
    icmpMark: red,
    density: orange,
    stall: yellow,
    throttle: purple,
    chain: fg,
    font: `${/^\d+$/.test(fontSize) ? `${fontSize}px` : fontSize} ${fontFamily}`,
    highContrast: document.body.classList.contains('vscode-high-contrast'),
  };
}

/** Calls `onChange` when VS Code switches theme (body class or inline variables change). */
export function watchTheme(onChange: () => void): void {
  new MutationObserver(onChange).observe(document.body, { attributes: true, attributeFilter: ['class', 'style'] });
  const html = document.documentElement;
  new MutationObserver(onChange).observe(html, { attributes: true, attributeFilter: ['style', 'class'] });
}
