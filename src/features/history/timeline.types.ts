import { ArgsType, createUnionType, Field, Int, ObjectType } from 'type-graphql';
import { PageInfo } from '../../infra/pagination/connection.types';
import { Activity } from '../activities/activity.entity';
import { DealEvent } from '../realtime/log/deal-event.type';

export const DealTimelineItem = createUnionType({
  name: 'DealTimelineItem',
  description: 'One entry of a deal\'s timeline: a change of the deal (DealEvent) or an activity on it.',
  types: () => [DealEvent, Activity] as const,
  resolveType: (item) => (item instanceof DealEvent ? DealEvent : Activity),
});

@ObjectType({ description: 'A timeline entry with its cursor.' })
export class DealTimelineEdge {
  @Field({ description: 'Opaque cursor of this entry.' })
  cursor: string;

  @Field(() => DealTimelineItem, { description: 'The entry.' })
  node: DealEvent | Activity;
}

@ObjectType({ description: 'A page of a deal\'s timeline, newest first, with cursors to page on.' })
export class DealTimelineConnection {
  @Field(() => [DealTimelineEdge], { description: 'The entries of this page with their cursors.' })
  edges: DealTimelineEdge[];

  @Field(() => [DealTimelineItem], { description: 'The entries of this page.' })
  nodes: (DealEvent | Activity)[];

  @Field(() => PageInfo, { description: 'Paging information.' })
  pageInfo: PageInfo;
}

@ArgsType()
export class HistoryPageArgs {
  @Field(() => Int, { nullable: true, description: 'Page size, 0 to 500; default 50.' })
  first?: number | null;

  @Field(() => String, { nullable: true, description: 'Cursor of the item after which the page starts.' })
  after?: string | null;
}
