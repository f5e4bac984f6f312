import { Field, Float, ID, InputType, Int, ObjectType } from 'type-graphql';
import { Stage } from '../pipelines/stage.entity';

@InputType({
  description: 'A half-open period, from ≤ t < to. Absent `to`: now; absent `from`: `to` minus 90 days.',
})
export class DateRange {
  @Field(() => Date, { nullable: true, description: 'Start, included; default: `to` minus 90 days.' })
  from?: Date | null;

  @Field(() => Date, { nullable: true, description: 'End, excluded; default: now.' })
  to?: Date | null;
}

@ObjectType({ description: 'The health of one stage: what sits in it now and how deals moved through it in the range.' })
export class StageMetrics {
  @Field(() => Stage, { description: 'The stage.' })
  stage: Stage;

  @Field(() => Int, { description: 'Open deals in the stage now.' })
  dealCount: number;

  @Field(() => Float, { description: 'Sum of the value of the open deals in the stage now, exact to the cent.' })
  value: number;

  @Field(() => Float, { description: 'Sum of value × stage probability of the open deals in the stage now.' })
  weightedValue: number;

  @Field(() => Float, {
    nullable: true,
    description: 'Mean days of every visit to the stage (entry: a stage change into it; exit: the deal\'s next stage change) whose exit lies in the range; '
      + 'a deal that visits twice counts twice. Visits still going on are not counted. Null when no visit ended in the range.',
  })
  averageDaysInStage: number | null;

  @Field(() => Float, {
    nullable: true,
    description: 'Of the distinct deals that entered this OPEN stage in the range, the share (0..1) that at any later time, also after the range, '
      + 'entered an OPEN or WON stage of greater position (positions as they stood at the deal\'s latest stage change: reordering stages '
      + 'does not rewrite history). Null for WON and LOST stages and when no deal entered.',
  })
  conversionRate: number | null;

  @Field(() => Int, { description: 'Deals lost in the range (current status LOST, closedAt in range) whose stage change into the LOST stage came from this stage.' })
  lostCount: number;

  @Field(() => Int, { description: 'Open deals in the stage now that are stalled (see Deal.isStalled).' })
  stalledCount: number;

  /** The stage's id, for callers that key by it without touching `stage`. */
  stageId: string;
}

@ObjectType({
  description: 'The four key figures of pipeline health and their parts. Figures about open deals are about now; '
    + 'won, lost and ledger figures about the range (default: the last 90 days). Deleted deals count nowhere. '
    + 'Rates are plain fractions (0..1) and are null, never 0, when they have no denominator.',
})
export class PipelineMetrics {
  @Field(() => ID, { description: 'The pipeline.' })
  pipelineId: string;

  @Field(() => Date, { description: 'Start of the range the figures cover, included.' })
  from: Date;

  @Field(() => Date, { description: 'End of the range the figures cover, excluded.' })
  to: Date;

  @Field(() => Int, { description: 'Deals of the pipeline with status OPEN, now.' })
  openDealCount: number;

  @Field(() => Float, { description: 'Sum of the value of the open deals, exact to the cent.' })
  openValue: number;

  @Field(() => Float, { description: 'Sum of value × stage probability of the open deals.' })
  weightedOpenValue: number;

  @Field(() => Int, { description: 'Deals won with closedAt in the range (by current status).' })
  wonCount: number;

  @Field(() => Int, { description: 'Deals lost with closedAt in the range (by current status).' })
  lostCount: number;

  @Field(() => Float, { description: 'Sum of the value of the deals won in the range.' })
  wonValue: number;

  @Field(() => Float, { nullable: true, description: 'Mean value of the deals won in the range; null when none.' })
  averageDealSize: number | null;

  @Field(() => Float, { nullable: true, description: 'won ÷ (won + lost), closed in the range; null when none closed.' })
  winRate: number | null;

  @Field(() => Float, { nullable: true, description: 'Mean days from createdAt to closedAt of the deals won in the range; null when none.' })
  averageSalesCycleDays: number | null;

  @Field(() => Float, {
    nullable: true,
    description: 'openDealCount × averageDealSize × winRate ÷ averageSalesCycleDays: value expected to close per day. '
      + 'Null when any part is null or the cycle is 0 days.',
  })
  velocityPerDay: number | null;

  @Field(() => [StageMetrics], { description: 'One entry per stage, in position order.' })
  stages: StageMetrics[];

  @Field(() => Date, { description: 'When these figures were computed (database time).' })
  computedAt: Date;
}
