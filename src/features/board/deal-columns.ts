import { FieldNode, GraphQLResolveInfo, Kind, SelectionSetNode } from 'graphql';
import { getMetadataStorage } from 'type-graphql';
import { EntityManager } from 'typeorm';
import { Deal } from '../deals/deal.entity';

/** Every field of some selection sets, through inline fragments and fragment spreads. */
export function fieldsOf(info: GraphQLResolveInfo, sets: readonly (SelectionSetNode | undefined)[]): FieldNode[] {
  const found: FieldNode[] = [];
  const visit = (set: SelectionSetNode | undefined) => {
    for (const selection of set?.selections ?? []) {
      if (selection.kind === Kind.FIELD) found.push(selection);
      else if (selection.kind === Kind.INLINE_FRAGMENT) visit(selection.selectionSet);
      else visit(info.fragments[selection.name.value]?.selectionSet);
    }
  };
  sets.forEach(visit);
  return found;
}

/** Whether the operation asks for nothing but the field being resolved. */
export function isOnlyRootField(info: GraphQLResolveInfo): boolean {
  const roots = fieldsOf(info, [info.operation.selectionSet]);
  return roots.length === info.fieldNodes.length && roots.every((root) => info.fieldNodes.includes(root));
}

/** Fields with no selection below: they read a value and lead nowhere else. */
export const allLeaves = (fields: readonly FieldNode[]) => fields.every((field) => !field.selectionSet);

/** Deal fields whose resolvers load a person by a column of the deal. */
const PEOPLE: Record<string, string> = { owner: 'owner_id', lead: 'lead_id' };

const plainColumns = new Map<string, string | null>();

/**
 * The column behind a Deal field that resolves to its own property (null for a field that
 * is computed or loaded by a resolver), read from type-graphql's and TypeORM's metadata so
 * that a renamed field or column cannot drift from it.
 */
function plainColumn(em: EntityManager, field: string): string | null {
  if (!plainColumns.has(field)) {
    const storage = getMetadataStorage();
    const resolved = storage.fieldResolvers.some((r) => r.schemaName === field && r.getObjectType?.() === Deal);
    const property = storage.fields.find((f) => f.schemaName === field && (f.target === Deal || Deal.prototype instanceof f.target))?.name;
    const column = property && !resolved ? em.connection.getMetadata(Deal).findColumnWithPropertyName(property) : undefined;
    plainColumns.set(field, column?.databaseName ?? null);
  }
  return plainColumns.get(field)!;
}

/**
 * The deal columns a selection of deals needs, when it asks only for plain columns and for
 * owners and leads with leaf fields: then nothing else in the request can reach these deals,
 * and loading only these columns serves it exactly. Null otherwise (load whole rows). `id`
 * is always loaded: it names the deal everywhere.
 */
export function dealColumns(em: EntityManager, info: GraphQLResolveInfo, dealFields: readonly FieldNode[]): string[] | null {
  const columns = new Set(['id']);
  for (const field of fieldsOf(info, dealFields.map((f) => f.selectionSet))) {
    const name = field.name.value;
    if (name === '__typename') continue;
    const person = PEOPLE[name];
    if (person) {
      if (!allLeaves(fieldsOf(info, [field.selectionSet]))) return null;
      columns.add(person);
      continue;
    }
    const column = plainColumn(em, name);
    if (!column || field.selectionSet) return null;
    columns.add(column);
  }
  return [...columns];
}
