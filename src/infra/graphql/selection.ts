import { FieldNode, GraphQLResolveInfo, Kind, SelectionSetNode } from 'graphql';

/**
 * The fields named `name` directly under some selection sets, through inline fragments and
 * fragment spreads: what a look-ahead needs to know what a query will ask of the objects a
 * resolver returns. Type conditions are not checked: callers walk object types only.
 */
export function fieldsNamed(info: GraphQLResolveInfo, sets: readonly (SelectionSetNode | undefined)[], name: string): FieldNode[] {
  const found: FieldNode[] = [];
  const visit = (set: SelectionSetNode | undefined) => {
    for (const selection of set?.selections ?? []) {
      if (selection.kind === Kind.FIELD) {
        if (selection.name.value === name) found.push(selection);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        visit(selection.selectionSet);
      } else {
        visit(info.fragments[selection.name.value]?.selectionSet);
      }
    }
  };
  sets.forEach(visit);
  return found;
}

/** The selection sets of some fields, to walk one level further down. */
export const setsOf = (fields: readonly FieldNode[]) => fields.map((f) => f.selectionSet);

/** Whether any of `sets` selects a field named one of `names`. */
export function selectsAny(info: GraphQLResolveInfo, sets: readonly (SelectionSetNode | undefined)[], ...names: string[]): boolean {
  return names.some((name) => fieldsNamed(info, sets, name).length > 0);
}
