/** Largest number of `starts` inside any half-open window `[start, start + span)` that begins at a start. */
export function maxInAnyWindow(starts: readonly number[], span: number): number {
  return Math.max(
    0,
    ...starts.map((start) => starts.filter((t) => t >= start && t < start + span).length),
  );
}
