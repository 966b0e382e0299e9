// Deterministic random numbers in [0, 1): mulberry32, small and seeded, so a fuzzer's or a
// generator's failure can be replayed from its seed. (The ACD keeps its own persisted draw in
// src/queue/queue-legs.ts: there the seed is state that is saved between draws.)
export function mulberry32(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let x = Math.imul(s ^ (s >>> 15), 1 | s);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}
