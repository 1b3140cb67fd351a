import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import type { RandomGenerator } from 'pure-rand/types/RandomGenerator';

const ID_ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/**
 * A seeded random source (xoroshiro128+ from pure-rand). The generator uses it for every choice,
 * never `Math.random`, so a seed fully determines the traffic.
 */
export class Rng {
  private readonly g: RandomGenerator;

  constructor(seed: number) {
    this.g = xoroshiro128plus(seed);
  }

  /** Uniform in [0, 1). */
  float(): number {
    return uniformFloat64(this.g);
  }

  /** Uniform integer in [min, max], both included. */
  int(min: number, max: number): number {
    return uniformInt(this.g, min, max);
  }

  /** A seed for another, independent `Rng`. */
  nextSeed(): number {
    return this.int(0, 0x7fffffff);
  }

  chance(p: number): boolean {
    return this.float() < p;
  }

  pick<T>(items: readonly T[]): T {
    const item = items[this.int(0, items.length - 1)];
    if (item === undefined) throw new Error('pick from an empty list');
    return item;
  }

  /** One of `items`, chosen with probability proportional to its `weight`. */
  weighted<T extends { weight: number }>(items: readonly T[]): T {
    const total = items.reduce((s, i) => s + i.weight, 0);
    let r = this.float() * total;
    for (const item of items) {
      r -= item.weight;
      if (r < 0) return item;
    }
    return this.pick(items);
  }

  /** A random id like the snippet makes (letters and digits). */
  id(length = 21): string {
    let out = '';
    for (let i = 0; i < length; i++) out += ID_ALPHABET[this.int(0, ID_ALPHABET.length - 1)];
    return out;
  }
}

/** FNV-1a (32 bits) of a string's UTF-16 code units: a split of visitors that takes no random draw. */
export function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (const ch of text) {
    h ^= ch.charCodeAt(0);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}
