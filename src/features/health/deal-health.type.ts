import { Field, Float, ObjectType } from 'type-graphql';
import { HealthReason } from './health.enums';

@ObjectType({ description: 'How a deal is doing, and why it needs attention.', simpleResolvers: true })
export class DealHealth {
  @Field(() => Float, { description: 'Days since the deal entered its current stage: now minus stageEnteredAt.' })
  daysInStage: number;

  @Field(() => Float, { nullable: true, description: 'Days since its latest activity: now minus lastActivityAt; null without activities.' })
  daysSinceActivity: number | null;

  @Field(() => [HealthReason], { description: 'Why an OPEN deal needs attention, in the order of HealthReason; [] for closed deals.' })
  reasons: HealthReason[];
}
