/** Growing the detector's typed-array tables, which start small and double when full. */

/** A new array of `length` elements holding `a`'s (the rest zero). */
export function grown(a: Int32Array, length: number): Int32Array<ArrayBuffer>;
export function grown(a: Float64Array, length: number): Float64Array<ArrayBuffer>;
export function grown(a: Int32Array | Float64Array, length: number): Int32Array<ArrayBuffer> | Float64Array<ArrayBuffer> {
  const b = a instanceof Int32Array ? new Int32Array(length) : new Float64Array(length);
  b.set(a);
  return b;
}
