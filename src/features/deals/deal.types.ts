import { ArgsType, Field, Int } from 'type-graphql';
import { connectionTypes } from '../../infra/pagination/connection.types';
import { Deal } from './deal.entity';
import { DealFilter, DealOrder } from './deal.filters';

export const { Edge: DealEdge, Connection: DealConnection } = connectionTypes(Deal, 'Deal');

@ArgsType()
export class DealListArgs {
  @Field(() => DealFilter, { nullable: true, description: 'Only deals that meet every condition.' })
  filter?: DealFilter | null;

  @Field(() => [DealOrder], { nullable: true, description: 'Ordering, each field at most once; default: oldest first. The deal id breaks ties.' })
  orderBy?: DealOrder[] | null;

  @Field(() => Int, { nullable: true, description: 'Page size, 0 to 500; default 50.' })
  first?: number | null;

  @Field(() => String, { nullable: true, description: 'Cursor of the item after which the page starts.' })
  after?: string | null;
}
