import {
  FieldNode, getNamedType, GraphQLField, GraphQLNamedType, isCompositeType, isListType, isNonNullType, isObjectType,
  isInterfaceType, Kind, SelectionSetNode, ValidationContext, ValidationRule, ValueNode, GraphQLOutputType,
} from 'graphql';
import { QueryLimits } from './limits.config';
import { limitError } from './limit-error';

/** The largest page the API serves: an unknown `first` is assumed to ask for it. */
const MAX_FIRST = 500;

/**
 * Refuses operations whose estimated cost exceeds `limits.maxCost`. A field that returns an
 * object costs 1 plus what it selects; a list multiplies that by its expected length: its
 * `first` argument (left out: the default page; a variable: the variable's default, else the
 * largest page), or `listFactor` for a list without one. The `edges` and `nodes` of a
 * connection are its page, already counted. Scalars and introspection cost nothing.
 * `variables`, when known (the WebSocket door), replace the worst-case guess.
 */
export function maxCostRule(limits: QueryLimits, variables?: Record<string, unknown>): ValidationRule {
  return (context) => ({
    OperationDefinition(operation) {
      const root = context.getSchema().getRootType(operation.operation);
      if (!root) return false;
      const defaults = new Map<string, ValueNode | undefined>();
      for (const definition of operation.variableDefinitions ?? []) defaults.set(definition.variable.name.value, definition.defaultValue);
      const walker = new CostWalker(context, limits, variables, defaults);
      const cost = walker.selectionCost(operation.selectionSet, root);
      if (cost > limits.maxCost) {
        context.reportError(limitError(`The query's estimated cost is ${cost}; the limit is ${limits.maxCost}. Ask for smaller pages (first) or fewer nested lists`, 'cost', limits.maxCost, cost, [operation]));
      }
      return false;
    },
  });
}

class CostWalker {
  private readonly visiting = new Set<string>();
  /** Fragment costs, walked once however often they are spread. */
  private readonly fragments = new Map<string, number>();

  constructor(
    private readonly context: ValidationContext,
    private readonly limits: QueryLimits,
    private readonly variables: Record<string, unknown> | undefined,
    private readonly defaults: Map<string, ValueNode | undefined>,
  ) {}

  selectionCost(selectionSet: SelectionSetNode, parent: GraphQLNamedType): number {
    let total = 0;
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FIELD) {
        total += this.fieldCost(selection, parent);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const type = selection.typeCondition ? this.context.getSchema().getType(selection.typeCondition.name.value) : parent;
        if (type) total += this.selectionCost(selection.selectionSet, type);
      } else {
        const name = selection.name.value;
        const fragment = this.context.getFragment(name);
        const type = fragment && this.context.getSchema().getType(fragment.typeCondition.name.value);
        if (!fragment || !type || this.visiting.has(name)) continue;
        if (!this.fragments.has(name)) {
          this.visiting.add(name);
          this.fragments.set(name, this.selectionCost(fragment.selectionSet, type));
          this.visiting.delete(name);
        }
        total += this.fragments.get(name)!;
      }
      // Stop early: a hostile document must not cost more to price than the limit allows.
      if (total > this.limits.maxCost) return total;
    }
    return total;
  }

  private fieldCost(node: FieldNode, parent: GraphQLNamedType): number {
    if (node.name.value.startsWith('__') || !node.selectionSet) return 0;
    const field = this.fieldOf(parent, node.name.value);
    if (!field) return 0;
    const type = getNamedType(field.type);
    if (!isCompositeType(type)) return 0;
    const inner = 1 + this.selectionCost(node.selectionSet, type);
    return inner * this.multiplier(node, field, parent);
  }

  private multiplier(node: FieldNode, field: GraphQLField<unknown, unknown>, parent: GraphQLNamedType): number {
    if (field.args.some((a) => a.name === 'first')) return this.first(node);
    if (!isList(field.type)) return 1;
    return parent.name.endsWith('Connection') ? 1 : this.limits.listFactor;
  }

  private first(node: FieldNode): number {
    const value = node.arguments?.find((a) => a.name.value === 'first')?.value;
    if (!value || value.kind === Kind.NULL) return this.limits.defaultFirst;
    if (value.kind === Kind.INT) return clampPage(Number(value.value));
    if (value.kind !== Kind.VARIABLE) return MAX_FIRST;
    // Over HTTP the rules run before the variables are known: assume the largest page.
    if (this.variables === undefined) return MAX_FIRST;
    const name = value.name.value;
    const given = this.variables[name];
    if (typeof given === 'number') return clampPage(given);
    const fallback = this.defaults.get(name);
    return fallback?.kind === Kind.INT ? clampPage(Number(fallback.value)) : this.limits.defaultFirst;
  }

  private fieldOf(parent: GraphQLNamedType, name: string): GraphQLField<unknown, unknown> | undefined {
    return isObjectType(parent) || isInterfaceType(parent) ? parent.getFields()[name] : undefined;
  }
}

function isList(type: GraphQLOutputType): boolean {
  return isListType(isNonNullType(type) ? type.ofType : type);
}

/** Pages beyond the largest are refused by the resolvers anyway; price them as the largest. */
function clampPage(n: number): number {
  return Number.isFinite(n) ? Math.min(Math.max(Math.trunc(n), 0), MAX_FIRST) : MAX_FIRST;
}
