/**
 * A layer of solid rectangles written straight into pixel memory, then put on the canvas in one call.
 * Why not canvas paths: aggregated marks number in the tens of thousands per frame, and a Path2D with that many
 * rectangles measured as the largest cost of a frame in headless Chromium (software raster, anti-aliased path
 * fill); writing 32-bit pixels into a Uint32Array and one drawImage is a fraction of it. Marks are axis-aligned and
 * opaque, so nothing is lost.
 */

const colourCache = new Map<string, number>();
let probe: CanvasRenderingContext2D | null = null;

/** A CSS colour (whatever the theme variable holds: hex, rgb(), named) as a little-endian RGBA pixel. */
export function pixelColour(css: string): number {
  let v = colourCache.get(css);
  if (v !== undefined) return v;
  probe ??= document.createElement('canvas').getContext('2d', { willReadFrequently: true })!;
  probe.clearRect(0, 0, 1, 1);
  probe.fillStyle = '#000';
  probe.fillStyle = css;
  probe.fillRect(0, 0, 1, 1);
  const [r, g, b, a] = probe.getImageData(0, 0, 1, 1).data;
  v = ((a! << 24) | (b! << 16) | (g! << 8) | r!) >>> 0;
  colourCache.set(css, v);
  return v;
}

/** Forget parsed colours (the theme changed). */
export function clearColourCache(): void {
  colourCache.clear();
}

export class PixelLayer {
  private canvas = document.createElement('canvas');
  private ctx = this.canvas.getContext('2d')!;
  private image: ImageData | null = null;
  private pixels = new Uint32Array(0);
  private w = 0;
  private h = 0;
  private scale = 1;

  /** Starts a frame covering cssWidth x cssHeight CSS pixels, transparent. */
  begin(cssWidth: number, cssHeight: number): void {
    this.scale = window.devicePixelRatio || 1;
    const w = Math.max(1, Math.round(cssWidth * this.scale));
    const h = Math.max(1, Math.round(cssHeight * this.scale));
    if (!this.image || w !== this.w || h !== this.h) {
      this.w = w;
      this.h = h;
      this.canvas.width = w;
      this.canvas.height = h;
      this.image = this.ctx.createImageData(w, h);
      this.pixels = new Uint32Array(this.image.data.buffer);
    } else this.pixels.fill(0);
  }

  /** A solid rectangle in CSS pixels (clipped to the layer). */
  rect(x: number, y: number, width: number, height: number, colour: number): void {
    const s = this.scale;
    const x0 = Math.max(0, Math.round(x * s));
    const y0 = Math.max(0, Math.round(y * s));
    const x1 = Math.min(this.w, Math.max(x0 + 1, Math.round((x + width) * s)));
    const y1 = Math.min(this.h, Math.max(y0 + 1, Math.round((y + height) * s)));
    const px = this.pixels;
    for (let row = y0; row < y1; row++) {
      const end = row * this.w + x1;
      for (let i = row * this.w + x0; i < end; i++) px[i] = colour;
    }
  }

  /** Draws the layer onto `ctx` (whose transform is in CSS pixels) at (x, y). */
  end(ctx: CanvasRenderingContext2D, x = 0, y = 0): void {
    if (!this.image) return;
    this.ctx.putImageData(this.image, 0, 0);
    ctx.drawImage(this.canvas, x, y, this.w / this.scale, this.h / this.scale);
  }
}
