/** Disjoint sets over the numbers 0…size−1 (union by size, path halving). */
export type UnionFind = {
  /** The representative of the set that holds `item`. */
  find(item: number): number;
  /** Joins the sets of `a` and `b`. */
  union(a: number, b: number): void;
};

/** Creates a {@link UnionFind} of `size` singleton sets. */
export function createUnionFind(size: number): UnionFind {
  const parent = Int32Array.from({ length: size }, (_, i) => i);
  const sizes = new Int32Array(size).fill(1);
  const find = (item: number): number => {
    let current = item;
    while (parent[current] !== current) {
      parent[current] = parent[parent[current]!]!;
      current = parent[current]!;
    }
    return current;
  };
  const union = (a: number, b: number) => {
    let rootA = find(a);
    let rootB = find(b);
    if (rootA === rootB) return;
    if (sizes[rootA]! < sizes[rootB]!) [rootA, rootB] = [rootB, rootA];
    parent[rootB] = rootA;
    sizes[rootA]! += sizes[rootB]!;
  };
  return { find, union };
}
