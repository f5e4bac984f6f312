import {
  GraphQLInputType, isEnumType, isInputObjectType, isListType, isNonNullType, isScalarType,
} from 'graphql';

/** mulberry32: a small seeded PRNG, so that a failing case can be replayed from its seed. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const STRINGS = [
  'Acme Corp', 'Renewal 2026', 'Call back on Monday', 'Zoë Ångström', 'Acme Corp', 'Renewal 2026', 'ok', '', ' ', 'a', 'Ünïcödé – 日本語 – 🚀🔥', '\u0000', 'nul\u0000inside', '\uD800', "'; DROP TABLE deals; --", '%_\\',
  '<script>alert(1)</script>', '\u202Eright-to-left', 'x'.repeat(10_000), '\n\t\r', '{"json": true}', '-1', 'null',
];
const INTS = [0, 1, -1, 2, 500, 501, 2_147_483_647, -2_147_483_648, 2_147_483_648, 1e15, 3.5];
const FLOATS = [0, -0, 1, -1, 0.005, 123.456, 99_999_999_999.99, 1e12, 1e15, 1e20, 1e308, -1e308, 5e-324, 2.5];
const DATES = ['2026-01-01T00:00:00Z', '1970-01-01T00:00:00.000Z', '9999-12-31T23:59:59Z', '0001-01-01T00:00:00Z', 'not a date', '', '2026-02-30T00:00:00Z', '2026-06-01'];

export interface FuzzPools {
  /** Ids to draw from: real ones of the workspace, another workspace's, garbage. */
  ids: string[];
}

/** A random value for `type`: mostly well-typed (to reach the services), sometimes not (to reach coercion). */
export function randomValue(type: GraphQLInputType, random: () => number, pools: FuzzPools, depth = 0): unknown {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
  if (isNonNullType(type)) return random() < 0.04 ? null : randomValue(type.ofType, random, pools, depth);
  if (random() < 0.05) return null;
  if (random() < 0.02) return pick<unknown>([42, 'text', true, [], {}]); // the wrong type altogether
  if (isListType(type)) return Array.from({ length: Math.floor(random() * 4) }, () => randomValue(type.ofType, random, pools, depth + 1));
  if (isEnumType(type)) return random() < 0.1 ? 'NOT_A_VALUE' : pick(type.getValues()).name;
  if (isInputObjectType(type)) {
    const value: Record<string, unknown> = {};
    for (const field of Object.values(type.getFields())) {
      if (!isNonNullType(field.type) && random() < 0.35) continue;
      value[field.name] = depth > 3 ? null : randomValue(field.type, random, pools, depth + 1);
    }
    return value;
  }
  if (isScalarType(type)) {
    switch (type.name) {
      case 'ID': return random() < 0.8 ? pick(pools.ids) : pick(STRINGS);
      case 'String': return pick(STRINGS);
      case 'Int': return pick(INTS);
      case 'Float': return pick(FLOATS);
      case 'Boolean': return random() < 0.5;
      case 'DateTime': return pick(DATES);
      default: return pick(STRINGS);
    }
  }
  return null;
}
