import { ConfigError } from '../config-error';

/** How big one GraphQL operation may be; every field is configurable through the environment. */
export interface QueryLimits {
  /** Deepest nesting of fields (introspection fields are not counted). `QUERY_MAX_DEPTH`, default 10. */
  maxDepth: number;
  /** Aliases in one document. `QUERY_MAX_ALIASES`, default 20. */
  maxAliases: number;
  /** Directives in one document. `QUERY_MAX_DIRECTIVES`, default 50. */
  maxDirectives: number;
  /** Lexical tokens in one document. `QUERY_MAX_TOKENS`, default 2,000. */
  maxTokens: number;
  /** The cost budget of one operation (see `cost.rule.ts`). `QUERY_MAX_COST`, default 50,000. */
  maxCost: number;
  /** What a list field without `first` is assumed to hold, for the cost. `QUERY_LIST_FACTOR`, default 10. */
  listFactor: number;
  /** The page size assumed for a `first` argument left out (the contract's default). */
  defaultFirst: number;
}

/** Defaults in the spirit of graphql-armor. */
export const DEFAULT_QUERY_LIMITS: QueryLimits = {
  maxDepth: 10,
  maxAliases: 20,
  maxDirectives: 50,
  maxTokens: 2_000,
  maxCost: 50_000,
  listFactor: 10,
  defaultFirst: 50,
};

const ENV_NAMES: Record<Exclude<keyof QueryLimits, 'defaultFirst'>, string> = {
  maxDepth: 'QUERY_MAX_DEPTH',
  maxAliases: 'QUERY_MAX_ALIASES',
  maxDirectives: 'QUERY_MAX_DIRECTIVES',
  maxTokens: 'QUERY_MAX_TOKENS',
  maxCost: 'QUERY_MAX_COST',
  listFactor: 'QUERY_LIST_FACTOR',
};

/** Reads the query limits from the environment; throws a readable error on a bad value. */
export function loadQueryLimits(env: NodeJS.ProcessEnv): QueryLimits {
  const limits = { ...DEFAULT_QUERY_LIMITS };
  for (const [key, name] of Object.entries(ENV_NAMES) as [keyof typeof ENV_NAMES, string][]) {
    const raw = env[name];
    if (raw === undefined || raw === '') continue;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < 1) throw new ConfigError(`${name} must be an integer >= 1, got "${raw}"`);
    limits[key] = n;
  }
  return limits;
}
