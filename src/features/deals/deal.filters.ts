import { Field, Float, ID, InputType } from 'type-graphql';
import { LeadSource } from '../leads/lead.enums';
import { HealthReason } from '../health/health.enums';
import { DealOrderField, DealStatus, OrderDirection } from './deal.enums';

@InputType({ description: 'Conditions a deal must all meet. Date bounds are half-open: after ≤ t < before.' })
export class DealFilter {
  @Field(() => ID, { nullable: true, description: 'Deals of this pipeline.' })
  pipelineId?: string;

  @Field(() => [ID], { nullable: true, description: 'Deals in any of these stages.' })
  stageIds?: string[];

  @Field(() => DealStatus, { nullable: true, description: 'Deals with this status.' })
  status?: DealStatus;

  @Field(() => ID, { nullable: true, description: 'Deals owned by this user.' })
  ownerId?: string;

  @Field(() => LeadSource, { nullable: true, description: 'Deals whose lead came from this source.' })
  leadSource?: LeadSource;

  @Field(() => Float, { nullable: true, description: 'Value at least this.' })
  valueMin?: number;

  @Field(() => Float, { nullable: true, description: 'Value at most this.' })
  valueMax?: number;

  @Field({ nullable: true, description: 'Created at or after this time.' })
  createdAfter?: Date;

  @Field({ nullable: true, description: 'Created before this time.' })
  createdBefore?: Date;

  @Field({ nullable: true, description: 'Closed at or after this time.' })
  closedAfter?: Date;

  @Field({ nullable: true, description: 'Closed before this time.' })
  closedBefore?: Date;

  @Field({ nullable: true, description: 'Title contains this text, ignoring case.' })
  search?: string;

  @Field({ nullable: true, description: 'true: only stalled deals (see Deal.isStalled); false: only deals not stalled.' })
  stalled?: boolean;

  @Field(() => [HealthReason], { nullable: true, description: 'OPEN deals with any of these health reasons; [] sets no condition.' })
  healthReasons?: HealthReason[];
}

@InputType({ description: 'One ordering term; later terms break ties of earlier ones.' })
export class DealOrder {
  @Field(() => DealOrderField, { description: 'Field to order by.' })
  field: DealOrderField;

  @Field(() => OrderDirection, { description: 'Direction.' })
  direction: OrderDirection;
}
