import { FieldNode, GraphQLResolveInfo, Kind, SelectionSetNode } from 'graphql';
import { getMetadataStorage } from 'type-graphql';
import { EntityManager } from 'typeorm';

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
export const DEAL_PEOPLE: Record<string, string> = { owner: 'owner_id', lead: 'lead_id' };

const plainColumns = new Map<string, string | null>();

/**
 * The column behind a field of `entity` that resolves to its own property (null for a field
 * that is computed or loaded by a resolver), read from type-graphql's and TypeORM's metadata
 * so that a renamed field or column cannot drift from it.
 */
export function plainColumn(em: EntityManager, entity: Function, field: string): string | null {
  const key = `${entity.name}.${field}`;
  if (!plainColumns.has(key)) {
    const storage = getMetadataStorage();
    const resolved = storage.fieldResolvers.some((r) => r.schemaName === field && r.getObjectType?.() === entity);
    const property = storage.fields.find((f) => f.schemaName === field && (f.target === entity || entity.prototype instanceof f.target))?.name;
    const column = property && !resolved ? em.connection.getMetadata(entity).findColumnWithPropertyName(property) : undefined;
    plainColumns.set(key, column?.databaseName ?? null);
  }
  return plainColumns.get(key)!;
}

/**
 * The columns of `entity` that the selections under `parents` need, when they ask only for
 * plain columns (leaves) and for `relations` (a field loading a related row by a column,
 * itself with leaf fields only): then no field below leads anywhere else, and loading only
 * these columns serves them exactly. Null otherwise (load whole rows). `id` is always
 * loaded: it names the row everywhere.
 */
export function selectedColumns(em: EntityManager, info: GraphQLResolveInfo, entity: Function, parents: readonly FieldNode[],
  relations: Record<string, string> = {}): string[] | null {
  const columns = new Set(['id']);
  for (const field of fieldsOf(info, parents.map((f) => f.selectionSet))) {
    const name = field.name.value;
    if (name === '__typename') continue;
    const relation = relations[name];
    if (relation) {
      if (!allLeaves(fieldsOf(info, [field.selectionSet]))) return null;
      columns.add(relation);
      continue;
    }
    const column = plainColumn(em, entity, name);
    if (!column || field.selectionSet) return null;
    columns.add(column);
  }
  return [...columns];
}
