/**
 * The simulator's one source of randomness. Every choice in a run (message delays, drops,
 * duplicates, the nodes' randomised election timeouts) is drawn from one generator seeded by the
 * run's seed, in the order events happen, so the same seed replays the same run event for event.
 *
 * sfc32 (Chris Doty-Humphrey's Small Fast Counting generator): four 32-bit words of state, fast in
 * plain JavaScript, good statistical quality. Written out here (a dozen lines) rather than pulled
 * from pure-rand because we need a mutable stream shared by many callers, not its pure API.
 */
export interface Rng {
  /** A float in [0, 1). */
  next(): number;
  /** An integer in [min, max], both ends included. */
  int(min: number, max: number): number;
  /** True with probability p. */
  chance(p: number): boolean;
}

export function createRng(seed: number): Rng {
  let a = 0x9e3779b9;
  let b = 0x243f6a88;
  let c = 0xb7e15162;
  let d = seed >>> 0;
  const next32 = (): number => {
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return t >>> 0;
  };
  // Mix the seed in before the first draw: nearby seeds must not start with nearby numbers.
  for (let i = 0; i < 15; i++) next32();
  const next = (): number => next32() / 4294967296;
  return {
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    chance: (p) => p > 0 && next() < p,
  };
}
