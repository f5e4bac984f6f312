import { DocumentNode, GraphQLError, GraphQLSchema, specifiedRules, validate, ValidationRule } from 'graphql';
import { maxCostRule } from './cost.rule';
import { QueryLimits } from './limits.config';
import { maxAliasesRule, maxDepthRule, maxDirectivesRule, maxTokensRule } from './shape.rules';

export { DEFAULT_QUERY_LIMITS, loadQueryLimits, QueryLimits } from './limits.config';

/**
 * The limits as graphql-js validation rules, for Apollo's `validationRules`. Over HTTP the
 * variables are not known yet, so `first: $n` is priced as the largest page.
 */
export function queryLimitRules(limits: QueryLimits, variables?: Record<string, unknown>): ValidationRule[] {
  return [
    maxTokensRule(limits.maxTokens),
    maxAliasesRule(limits.maxAliases),
    maxDirectivesRule(limits.maxDirectives),
    maxDepthRule(limits.maxDepth),
    maxCostRule(limits, variables),
  ];
}

/** Strips "Did you mean …?" from validation messages, so that production does not spell out the schema. */
export function withoutSuggestions(error: GraphQLError): GraphQLError {
  const message = error.message.replace(/ ?Did you mean .*\?$/, '');
  if (message === error.message) return error;
  return new GraphQLError(message, { nodes: error.nodes, source: error.source, positions: error.positions, extensions: error.extensions });
}

/**
 * Validates a subscription for the WebSocket door (graphql-ws `onSubscribe`) with graphql-js's
 * rules and the limits, knowing its variables. Returns the errors, to be returned from
 * `onSubscribe` as they are: thrown, they would close the whole socket.
 */
export function validateWithLimits(
  schema: GraphQLSchema, document: DocumentNode, limits: QueryLimits,
  options: { variables?: Record<string, unknown> | null; hideSuggestions?: boolean } = {},
): readonly GraphQLError[] {
  const rules = [...specifiedRules, ...queryLimitRules(limits, options.variables ?? {})];
  const errors = validate(schema, document, rules, { maxErrors: 20 });
  return options.hideSuggestions ? errors.map(withoutSuggestions) : errors;
}
