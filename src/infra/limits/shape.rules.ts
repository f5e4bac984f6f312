import { ASTVisitor, Kind, SelectionSetNode, ValidationContext, ValidationRule, FragmentDefinitionNode } from 'graphql';
import { limitError } from './limit-error';

/** Refuses documents with more lexical tokens than `max` (counted on the parsed token list). */
export function maxTokensRule(max: number): ValidationRule {
  return (context: ValidationContext): ASTVisitor => {
    let token = context.getDocument().loc?.startToken;
    let count = 0;
    while (token && token.kind !== '<EOF>') {
      if (token.kind !== '<SOF>') count++;
      token = token.next ?? undefined;
    }
    if (count > max) context.reportError(limitError(`The query has ${count} tokens; the limit is ${max}`, 'tokens', max, count));
    return {};
  };
}

/** Refuses documents with more than `max` aliases. */
export function maxAliasesRule(max: number): ValidationRule {
  return (context) => {
    let count = 0;
    return {
      Field(node) {
        if (node.alias) count++;
      },
      Document: {
        leave() {
          if (count > max) context.reportError(limitError(`The query has ${count} aliases; the limit is ${max}`, 'aliases', max, count));
        },
      },
    };
  };
}

/** Refuses documents with more than `max` directives. */
export function maxDirectivesRule(max: number): ValidationRule {
  return (context) => {
    let count = 0;
    return {
      Directive() {
        count++;
      },
      Document: {
        leave() {
          if (count > max) context.reportError(limitError(`The query has ${count} directives; the limit is ${max}`, 'directives', max, count));
        },
      },
    };
  };
}

/** Refuses operations nested deeper than `max` fields, following fragments; `__` fields are not counted. */
export function maxDepthRule(max: number): ValidationRule {
  return (context) => ({
    OperationDefinition(operation) {
      const depth = depthOf(operation.selectionSet, context, new Set(), new Map());
      if (depth > max) {
        context.reportError(limitError(`The query is ${depth} levels deep; the limit is ${max}`, 'depth', max, depth, [operation]));
      }
      return false;
    },
  });
}

/** `known` memoises fragment depths, so that fragments spread many times cost one walk. */
function depthOf(selectionSet: SelectionSetNode, context: ValidationContext, visiting: Set<string>, known: Map<string, number>): number {
  let deepest = 0;
  for (const selection of selectionSet.selections) {
    let depth = 0;
    if (selection.kind === Kind.FIELD) {
      if (selection.name.value.startsWith('__')) continue;
      depth = 1 + (selection.selectionSet ? depthOf(selection.selectionSet, context, visiting, known) : 0);
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      depth = depthOf(selection.selectionSet, context, visiting, known);
    } else {
      const name = selection.name.value;
      const fragment: FragmentDefinitionNode | null | undefined = context.getFragment(name);
      // A fragment cycle is reported by graphql-js's own rule; here it only must not loop.
      if (!fragment || visiting.has(name)) continue;
      if (!known.has(name)) {
        visiting.add(name);
        known.set(name, depthOf(fragment.selectionSet, context, visiting, known));
        visiting.delete(name);
      }
      depth = known.get(name)!;
    }
    deepest = Math.max(deepest, depth);
  }
  return deepest;
}
