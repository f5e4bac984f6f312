import { Field, Float, ID, InputType, ObjectType } from 'type-graphql';
import { Goal } from './goal.entity';
import { GoalMetric } from './goal.enums';

@InputType({ description: 'A goal to create, or, with `id`, the new settings of an existing goal. ADMIN or MANAGER.' })
export class SetGoalInput {
  @Field(() => ID, { nullable: true, description: 'An existing goal to change; absent: a new goal.' })
  id?: string | null;

  @Field(() => GoalMetric, { description: 'What the goal measures.' })
  metric: GoalMetric;

  @Field(() => Float, { description: 'Target, greater than 0; at most 1 for WIN_RATE.' })
  target: number;

  @Field({ description: 'Start of the period, included.' })
  from: Date;

  @Field({ description: 'End of the period, excluded; after `from`.' })
  to: Date;

  @Field(() => ID, { nullable: true, description: 'Only deals of this pipeline count; absent: every pipeline.' })
  pipelineId?: string | null;

  @Field(() => ID, { nullable: true, description: 'Only deals of this owner (user id) count; absent: every owner.' })
  ownerId?: string | null;
}

@ObjectType({ description: 'How far a goal has come.' })
export class GoalProgress {
  @Field(() => Goal, { description: 'The goal.' })
  goal: Goal;

  @Field(() => Float, {
    description: 'The metric over the goal\'s period, pipeline and owner, as PipelineMetrics defines it. '
      + 'For WIN_RATE, AVERAGE_DEAL_SIZE and SALES_CYCLE_DAYS with no closed (or won) deal: 0, with attainment null.',
  })
  actual: number;

  @Field(() => Float, {
    nullable: true,
    description: 'actual ÷ target (target ÷ actual for SALES_CYCLE_DAYS, where lower is better); null when the metric has no data yet.',
  })
  attainment: number | null;

  @Field(() => Float, { description: 'Share of the period already elapsed, 0..1.' })
  elapsed: number;

  @Field({
    description: 'For WON_VALUE, WON_COUNT and NEW_DEALS: attainment ≥ elapsed; for WIN_RATE, AVERAGE_DEAL_SIZE and SALES_CYCLE_DAYS: '
      + 'attainment ≥ 1. False while attainment is null.',
  })
  onTrack: boolean;

  @Field(() => Float, {
    nullable: true,
    description: 'For WON_VALUE, WON_COUNT and NEW_DEALS: actual ÷ elapsed, the figure at the end of the period at the pace so far; '
      + 'null while elapsed is 0, and for the other metrics.',
  })
  projected: number | null;

  @Field(() => Float, {
    nullable: true,
    description: "WON_VALUE only: value of the OPEN deals of the goal's pipeline and owner with expectedCloseDate from now to the "
      + "period's end; null for the other metrics.",
  })
  pipelineValue: number | null;

  @Field(() => Float, {
    nullable: true,
    description: 'WON_VALUE only: pipelineValue ÷ (target − actual); null when the target is reached, and for the other metrics.',
  })
  coverage: number | null;

  @Field(() => Float, {
    nullable: true,
    description: "WON_VALUE only: 1 ÷ the win rate of the goal's pipeline and owner over the 90 days before now, the coverage "
      + 'needed at that rate; null when that win rate is null or 0, and for the other metrics.',
  })
  requiredCoverage: number | null;
}
