/**
 * DOM helpers that only ever set text (textContent), never HTML: every string in a Report may come from a
 * hostile log line or packet and must show literally.
 */

export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, string> = {},
  ...children: (Node | string)[]
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  for (const c of children) node.append(typeof c === 'string' ? document.createTextNode(c) : c);
  return node;
}

/** Replaces the children of `parent` with `children`. */
export function setChildren(parent: Element, ...children: (Node | string)[]): void {
  parent.replaceChildren(...children);
}

/**
 * Sizes a canvas to its CSS box at the device pixel ratio and returns a context that draws in CSS pixels.
 * Returns the CSS size too, since layout decides it.
 */
export function fitCanvas(canvas: HTMLCanvasElement, cssWidth: number, cssHeight: number): { ctx: CanvasRenderingContext2D; width: number; height: number } {
  const dpr = window.devicePixelRatio || 1;
  const w = Math.max(1, Math.floor(cssWidth));
  const h = Math.max(1, Math.floor(cssHeight));
  if (canvas.width !== Math.round(w * dpr) || canvas.height !== Math.round(h * dpr)) {
    canvas.width = Math.round(w * dpr);
    canvas.height = Math.round(h * dpr);
    canvas.style.width = `${w}px`;
    canvas.style.height = `${h}px`;
  }
  const ctx = canvas.getContext('2d', { alpha: true })!;
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.clearRect(0, 0, w, h);
  return { ctx, width: w, height: h };
}

/** Places a tooltip element near the pointer, inside the viewport. */
export function placeTooltip(tip: HTMLElement, clientX: number, clientY: number): void {
  tip.hidden = false;
  const pad = 12;
  const r = tip.getBoundingClientRect();
  let x = clientX + pad;
  let y = clientY + pad;
  if (x + r.width > window.innerWidth) x = Math.max(0, clientX - pad - r.width);
  if (y + r.height > window.innerHeight) y = Math.max(0, clientY - pad - r.height);
  tip.style.left = `${x}px`;
  tip.style.top = `${y}px`;
}

/** Tooltip body: one text line per entry. */
export function tooltipLines(tip: HTMLElement, lines: string[]): void {
  setChildren(tip, ...lines.map((l, i) => el('div', i === 0 ? { class: 'tip-title' } : {}, l)));
}
