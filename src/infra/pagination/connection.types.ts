import { ClassType, Field, Int, ObjectType } from 'type-graphql';

@ObjectType({ description: 'Where a page sits in the whole list (Relay cursor connections).' })
export class PageInfo {
  @Field({ description: 'More items follow the last one of this page.' })
  hasNextPage: boolean;

  @Field({ description: 'Items come before the first one of this page (true when paging with `after`).' })
  hasPreviousPage: boolean;

  @Field(() => String, { nullable: true, description: 'Cursor of the first item; null for an empty page.' })
  startCursor: string | null;

  @Field(() => String, { nullable: true, description: 'Cursor of the last item; pass it as `after` for the next page.' })
  endCursor: string | null;
}

/**
 * A page as services return it. Cursors are encoded only when a client reads one (an edge's
 * cursor or the page info's), `totalCount` counted only when a client asks for it.
 */
export class Page<T> {
  private cachedEdges?: { cursor: string; node: T }[];
  private cachedInfo?: PageInfo;

  constructor(
    readonly nodes: T[],
    private readonly cursors: string[] | (() => string[]),
    private readonly info: Omit<PageInfo, 'startCursor' | 'endCursor'> & Partial<PageInfo>,
    private readonly count: () => Promise<number>,
  ) {}

  private get allCursors(): string[] {
    return typeof this.cursors === 'function' ? this.cursors() : this.cursors;
  }

  get edges(): { cursor: string; node: T }[] {
    if (!this.cachedEdges) {
      const cursors = this.allCursors;
      this.cachedEdges = this.nodes.map((node, i) => ({ node, cursor: cursors[i] }));
    }
    return this.cachedEdges;
  }

  get pageInfo(): PageInfo {
    if (!this.cachedInfo) {
      const cursors = this.info.startCursor === undefined ? this.allCursors : [];
      this.cachedInfo = { startCursor: cursors[0] ?? null, endCursor: cursors.at(-1) ?? null, ...this.info };
    }
    return this.cachedInfo;
  }

  get totalCount(): Promise<number> {
    return this.count();
  }
}

/** The Edge and Connection object types of a node type, named `<Name>Edge`, `<Name>Connection`. */
export function connectionTypes<T extends object>(Node: ClassType<T>, name: string) {
  const noun = name.toLowerCase();

  @ObjectType(`${name}Edge`, { description: `A ${noun} with its cursor.` })
  class Edge {
    @Field({ description: 'Opaque cursor of this item.' })
    cursor: string;

    @Field(() => Node, { description: `The ${noun}.` })
    node: T;
  }

  @ObjectType(`${name}Connection`, { description: `A page of ${noun}s, with cursors to page on.` })
  class Connection {
    @Field(() => [Edge], { description: 'The items of this page with their cursors.' })
    edges: Edge[];

    @Field(() => [Node], { description: 'The items of this page.' })
    nodes: T[];

    @Field(() => PageInfo, { description: 'Paging information.' })
    pageInfo: PageInfo;

    @Field(() => Int, { description: 'How many items match the filter, over all pages.' })
    totalCount: number;
  }

  return { Edge, Connection };
}
