import { GraphQLSchema, isAbstractType } from 'graphql';

/**
 * type-graphql resolves a union's or interface's member asynchronously (its `resolveType`
 * returns a promise); graphql-jit, which executes compiled documents, reads the member's name
 * synchronously. Each abstract type's `resolveType` is replaced by a synchronous lookup: the
 * member is the possible type named after the value's class or one of its ancestors (type-graphql
 * names object types after their classes). The same answer graphql-js got from the async one.
 */
export function resolveTypesSynchronously(schema: GraphQLSchema): GraphQLSchema {
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isAbstractType(type)) continue;
    const members = new Set(schema.getPossibleTypes(type).map((member) => member.name));
    type.resolveType = (value) => {
      for (let proto = Object.getPrototypeOf(value); proto; proto = Object.getPrototypeOf(proto)) {
        const name = (proto.constructor as { name?: string } | undefined)?.name;
        if (name && members.has(name)) return name;
      }
      return undefined;
    };
  }
  return schema;
}
