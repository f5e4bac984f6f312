import {
  FieldNode, getArgumentValues, getNamedType, GraphQLField, GraphQLNamedType, GraphQLObjectType, GraphQLResolveInfo,
  isAbstractType, isObjectType, Kind, OperationDefinitionNode, SchemaMetaFieldDef, SelectionNode, TypeMetaFieldDef, TypeNameMetaFieldDef,
} from 'graphql';
// graphql-js's own field collection, the one `execute` runs: fragments, inline fragments with
// type conditions, aliases, @include/@skip with variables, duplicates merged by response key.
import { collectSubfields } from 'graphql/execution/collectFields';

/** The parts of a resolve info that decide what is selected (graphql-js's and graphql-jit's infos both have them). */
export type SelectionInfo = Pick<GraphQLResolveInfo, 'schema' | 'fragments' | 'variableValues'>;
type Info = SelectionInfo;

/** The meta fields graphql-js answers on any type (`__schema` and `__type` at the query root only). */
const META_FIELDS: Record<string, GraphQLField<unknown, unknown>> = {
  __typename: TypeNameMetaFieldDef, __schema: SchemaMetaFieldDef, __type: TypeMetaFieldDef,
};

/**
 * Collected sub-fields per field-node list, per variables, per object type: a list resolves its
 * items with the same nodes, so the look-ahead is collected once per level, not once per row.
 * Documents are kept across requests (known operations, compiled documents), and so are their
 * nodes. Where an `@include` or `@skip` of the selection reads a variable, what is selected
 * depends on each request's variables, which are then part of the key; else the fields are
 * collected once for every request.
 */
const collected = new WeakMap<readonly FieldNode[], WeakMap<object, Map<string, Map<string, readonly FieldNode[]>>>>();

/** The key of collections that no variable decides. */
const ANY_VARIABLES = Object.freeze({});

/** Whether an `@include` or `@skip` directly in these nodes' selections (through fragments) reads a variable. */
const readsVariables = new WeakMap<readonly FieldNode[], boolean>();

function directivesReadVariables(info: Info, nodes: readonly FieldNode[]): boolean {
  let reads = readsVariables.get(nodes);
  if (reads === undefined) {
    const seen = new Set<string>();
    const inSelections = (selections: readonly SelectionNode[]): boolean => selections.some((selection) => {
      if (selection.directives?.some((d) => d.arguments?.some((a) => a.value.kind === Kind.VARIABLE))) return true;
      if (selection.kind === Kind.INLINE_FRAGMENT) return inSelections(selection.selectionSet.selections);
      if (selection.kind !== Kind.FRAGMENT_SPREAD || seen.has(selection.name.value)) return false;
      seen.add(selection.name.value);
      const fragment = info.fragments[selection.name.value];
      return fragment ? inSelections(fragment.selectionSet.selections) : false;
    });
    reads = nodes.some((node) => node.selectionSet !== undefined && inSelections(node.selectionSet.selections));
    readsVariables.set(nodes, reads);
  }
  return reads;
}

function collect(info: Info, type: GraphQLObjectType, nodes: readonly FieldNode[]): Map<string, readonly FieldNode[]> {
  let byVariables = collected.get(nodes);
  if (!byVariables) collected.set(nodes, (byVariables = new WeakMap()));
  const variables = directivesReadVariables(info, nodes) ? info.variableValues : ANY_VARIABLES;
  let byType = byVariables.get(variables);
  if (!byType) byVariables.set(variables, (byType = new Map()));
  let fields = byType.get(type.name);
  if (!fields) byType.set(type.name, (fields = collectSubfields(info.schema, info.fragments, info.variableValues, type, nodes)));
  return fields;
}

/** The operation's selection set as the one field node collectSubfields walks below. */
const operationRoots = new WeakMap<OperationDefinitionNode, readonly FieldNode[]>();
function rootNodes(operation: OperationDefinitionNode): readonly FieldNode[] {
  let nodes = operationRoots.get(operation);
  if (!nodes) {
    nodes = [{ kind: Kind.FIELD, name: { kind: Kind.NAME, value: operation.operation }, selectionSet: operation.selectionSet }];
    operationRoots.set(operation, nodes);
  }
  return nodes;
}

/** The object types a value of `type` can be: itself, or an abstract type's possible types. */
function objectTypes(info: Info, type: GraphQLNamedType): readonly GraphQLObjectType[] {
  if (isObjectType(type)) return [type];
  if (isAbstractType(type)) return info.schema.getPossibleTypes(type);
  return [];
}

/** One field as a query selects it: its response key, the nodes merged under it, its definition. */
export class SelectedField {
  constructor(private readonly info: Info, readonly key: string, readonly nodes: readonly FieldNode[],
    readonly definition: GraphQLField<unknown, unknown>) {}

  get name(): string {
    return this.definition.name;
  }

  /** The arguments as its resolver receives them: variables and defaults applied. */
  args<T = Record<string, unknown>>(): T {
    return getArgumentValues(this.definition, this.nodes[0], this.info.variableValues) as T;
  }

  /** What is selected below it. */
  get below(): Selection {
    return new Selection(this.info, getNamedType(this.definition.type), this.nodes);
  }
}

/**
 * What a query selects below some field nodes on a type, exactly as graphql-js will execute
 * it: the look-ahead a resolver or a loader uses to load only what is asked, whatever the
 * spelling of the query (named or inline fragments, aliases, directives, variables, a field
 * asked twice).
 */
export class Selection {
  private cachedFields?: SelectedField[];

  constructor(private readonly info: Info, readonly type: GraphQLNamedType, readonly nodes: readonly FieldNode[]) {}

  /** What the field being resolved is asked for. */
  static of(info: GraphQLResolveInfo): Selection {
    return new Selection(info, getNamedType(info.returnType), info.fieldNodes);
  }

  /** What the whole operation selects at its root. */
  static ofOperation(info: Info & Pick<GraphQLResolveInfo, 'operation'>): Selection {
    const root = info.schema.getRootType(info.operation.operation)!;
    return new Selection(info, root, rootNodes(info.operation));
  }

  /** Several selections of one type, merged (e.g. a connection's `nodes` and its edges' `node`). */
  static union(first: Selection, ...more: Selection[]): Selection {
    return new Selection(first.info, first.type, [first, ...more].flatMap((s) => s.nodes));
  }

  /** What is selected for values of the object type `name`, one of an abstract type's. */
  on(name: string): Selection {
    return new Selection(this.info, this.info.schema.getType(name)!, this.nodes);
  }

  /** Every field selected, once per response key, in the order graphql-js answers them (meta fields too). */
  get fields(): readonly SelectedField[] {
    if (!this.cachedFields) {
      this.cachedFields = [];
      for (const type of objectTypes(this.info, this.type)) {
        const definitions = type.getFields();
        for (const [key, nodes] of collect(this.info, type, this.nodes)) {
          const definition = definitions[nodes[0].name.value] ?? META_FIELDS[nodes[0].name.value];
          if (definition) this.cachedFields.push(new SelectedField(this.info, key, nodes, definition));
        }
      }
    }
    return this.cachedFields;
  }

  /** The selected fields named `name` (several when aliased). */
  named(name: string): SelectedField[] {
    return this.fields.filter((f) => f.name === name);
  }

  /** Whether any of `names` is selected. */
  has(...names: string[]): boolean {
    return this.fields.some((f) => names.includes(f.name));
  }

  /** What is selected below every field named `name`, merged: one level further down. */
  down(name: string): Selection {
    const definition = objectTypes(this.info, this.type).map((t) => t.getFields()[name]).find(Boolean);
    if (!definition) throw new Error(`${this.type.name} has no field ${name}`);
    const named = this.named(name);
    // One field's own nodes, not a copy: collections are kept per node list.
    return new Selection(this.info, getNamedType(definition.type), named.length === 1 ? named[0].nodes : named.flatMap((f) => f.nodes));
  }

  /** Whether every selected field is a leaf (leads to no other object). */
  get onlyLeaves(): boolean {
    return this.fields.every((f) => !f.nodes[0].selectionSet);
  }
}
