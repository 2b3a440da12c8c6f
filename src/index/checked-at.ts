/**
 * Checked element reads: `array[i]`, throwing a RangeError that names the index when `i` is
 * outside the array. A typed array answers `undefined` out of range, and `?? 0` would turn
 * that bug into a silent zero score, label or offset.
 *
 * The typed ones are for loops over postings (accumulating, merging, decoding): each is its
 * own small function, so V8 sees one array type per function; one generic function fed every
 * array type goes polymorphic and cost half the speed of scoring in a micro-benchmark. The
 * two hottest loops, BM25 scoring and its top-k, check their reads inline instead. None
 * allocates unless it throws.
 */
export function at<T>(array: ArrayLike<T>, i: number): T {
  const value = array[i];
  if (value === undefined) throw outside(array, i);
  return value;
}

export function u32At(array: Uint32Array, i: number): number {
  const value = array[i];
  if (value === undefined) throw outside(array, i);
  return value;
}

export function i32At(array: Int32Array, i: number): number {
  const value = array[i];
  if (value === undefined) throw outside(array, i);
  return value;
}

export function f64At(array: Float64Array, i: number): number {
  const value = array[i];
  if (value === undefined) throw outside(array, i);
  return value;
}

function outside(array: ArrayLike<unknown>, i: number): RangeError {
  return new RangeError(`index ${i} is outside 0..${array.length - 1}`);
}
