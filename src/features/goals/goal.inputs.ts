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

  @Field({ description: 'attainment ≥ elapsed (false while attainment is null).' })
  onTrack: boolean;
}
