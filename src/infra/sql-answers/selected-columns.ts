import { GraphQLResolveInfo } from 'graphql';
import { getMetadataStorage } from 'type-graphql';
import { EntityManager } from 'typeorm';
import type { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata';
import { Selection } from '../graphql/selection';

/** Whether the operation asks for nothing but the field being resolved (meta fields aside). */
export function isOnlyRootField(info: GraphQLResolveInfo): boolean {
  const roots = Selection.ofOperation(info).fields.filter((f) => !f.name.startsWith('__'));
  return roots.length === 1 && info.path.prev === undefined && roots[0].key === info.path.key;
}

const plainColumns = new Map<string, ColumnMetadata | null>();

/**
 * The column behind a field of `entity` that resolves to its own property (null for a field
 * that is computed or loaded by a resolver), read from type-graphql's and TypeORM's metadata
 * so that a renamed field or column cannot drift from it.
 */
export function plainColumnOf(em: EntityManager, entity: Function, field: string): ColumnMetadata | null {
  const key = `${entity.name}.${field}`;
  if (!plainColumns.has(key)) {
    const storage = getMetadataStorage();
    const resolved = storage.fieldResolvers.some((r) => r.schemaName === field && r.getObjectType?.() === entity);
    const property = storage.fields.find((f) => f.schemaName === field && (f.target === entity || entity.prototype instanceof f.target))?.name;
    const column = property && !resolved ? em.connection.getMetadata(entity).findColumnWithPropertyName(property) : undefined;
    plainColumns.set(key, column ?? null);
  }
  return plainColumns.get(key)!;
}

/**
 * The columns of `entity` that `selection` needs, when it asks only for plain columns (leaves)
 * and for `relations` (a field loading a related row by a column, itself with leaf fields
 * only): then no field below leads anywhere else, and loading only these columns serves them
 * exactly. Null otherwise (load whole rows). `id` is always loaded: it names the row everywhere.
 */
export function selectedColumns(em: EntityManager, selection: Selection, entity: Function,
  relations: Record<string, string> = {}): string[] | null {
  const columns = new Set(['id']);
  for (const field of selection.fields) {
    if (field.name === '__typename') continue;
    const relation = relations[field.name];
    if (relation) {
      if (!field.below.onlyLeaves) return null;
      columns.add(relation);
      continue;
    }
    const column = plainColumnOf(em, entity, field.name)?.databaseName;
    if (!column || field.nodes[0].selectionSet) return null;
    columns.add(column);
  }
  return [...columns];
}
