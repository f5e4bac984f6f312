import { Field, Float, Int, ObjectType, registerEnumType } from 'type-graphql';
import { DealStatus } from '../deals/deal.enums';
import { Pipeline } from '../pipelines/pipeline.entity';
import { Stage } from '../pipelines/stage.entity';
import { User } from '../workspaces/user.entity';
import { LeadSource } from '../leads/lead.enums';

export enum DealGroupField {
  STAGE = 'STAGE',
  OWNER = 'OWNER',
  STATUS = 'STATUS',
  LEAD_SOURCE = 'LEAD_SOURCE',
  CREATED_MONTH = 'CREATED_MONTH',
  CLOSED_MONTH = 'CLOSED_MONTH',
  PIPELINE = 'PIPELINE',
  CREATED_QUARTER = 'CREATED_QUARTER',
  CLOSED_QUARTER = 'CLOSED_QUARTER',
  EXPECTED_CLOSE_MONTH = 'EXPECTED_CLOSE_MONTH',
}

registerEnumType(DealGroupField, {
  name: 'DealGroupField',
  description: 'What deals can be grouped by. Months and quarters are calendar months and quarters in UTC, as YYYY-MM and YYYY-Qn.',
  valuesConfig: {
    STAGE: { description: 'The stage a deal is in now.' },
    OWNER: { description: 'The owner; unowned deals form a group of their own (owner null).' },
    STATUS: { description: 'OPEN, WON or LOST.' },
    LEAD_SOURCE: { description: 'Source of the lead the deal came from; deals without a lead form a group with leadSource null.' },
    CREATED_MONTH: { description: 'Month of createdAt.' },
    CLOSED_MONTH: { description: 'Month of closedAt; open deals form a group with closedMonth null.' },
    PIPELINE: { description: 'The pipeline.' },
    CREATED_QUARTER: { description: 'Quarter of createdAt.' },
    CLOSED_QUARTER: { description: 'Quarter of closedAt; open deals form a group with closedQuarter null.' },
    EXPECTED_CLOSE_MONTH: { description: 'Month of expectedCloseDate; deals without one form a group with expectedCloseMonth null.' },
  },
});

// simpleResolvers: a report can hold tens of thousands of groups; plain properties need no
// per-field middleware.
@ObjectType({ description: 'The keys of a group of deals. Only the keys grouped by are set; the others are null.', simpleResolvers: true })
export class DealGroup {
  @Field(() => Stage, { nullable: true, description: 'The stage, when grouped by STAGE.' })
  stage: Stage | null;

  @Field(() => User, { nullable: true, description: 'The owner, when grouped by OWNER; null also for unowned deals.' })
  owner: User | null;

  @Field(() => DealStatus, { nullable: true, description: 'The status, when grouped by STATUS.' })
  status: DealStatus | null;

  @Field(() => LeadSource, { nullable: true, description: 'The lead source, when grouped by LEAD_SOURCE; null also for deals without a lead.' })
  leadSource: LeadSource | null;

  @Field(() => String, { nullable: true, description: 'YYYY-MM (UTC) of createdAt, when grouped by CREATED_MONTH.' })
  createdMonth: string | null;

  @Field(() => String, { nullable: true, description: 'YYYY-MM (UTC) of closedAt, when grouped by CLOSED_MONTH; null also for open deals.' })
  closedMonth: string | null;

  @Field(() => Pipeline, { nullable: true, description: 'The pipeline, when grouped by PIPELINE.' })
  pipeline: Pipeline | null;

  @Field(() => String, { nullable: true, description: 'YYYY-Qn (UTC) of createdAt, when grouped by CREATED_QUARTER.' })
  createdQuarter: string | null;

  @Field(() => String, { nullable: true, description: 'YYYY-Qn (UTC) of closedAt, when grouped by CLOSED_QUARTER; null also for open deals.' })
  closedQuarter: string | null;

  @Field(() => String, {
    nullable: true, description: 'YYYY-MM (UTC) of expectedCloseDate, when grouped by EXPECTED_CLOSE_MONTH; null also for deals without one.',
  })
  expectedCloseMonth: string | null;

  /** Internal keys, resolved to `stage`, `owner` and `pipeline` through the request's loaders (see resolveGroupKeys). */
  stageId: string | null;
  ownerId: string | null;
  pipelineId: string | null;
}

@ObjectType({ description: 'Count and value statistics of one group of deals (deleted deals count nowhere).', simpleResolvers: true })
export class DealAggregate {
  @Field(() => DealGroup, { description: 'The keys of the group.' })
  group: DealGroup;

  @Field(() => Int, { description: 'Deals in the group.' })
  count: number;

  @Field(() => Float, { description: 'Sum of their value, exact to the cent; 0 for no deals.' })
  sum: number;

  @Field(() => Float, { nullable: true, description: 'Mean value; null for no deals.' })
  avg: number | null;

  @Field(() => Float, { nullable: true, description: 'Smallest value; null for no deals.' })
  min: number | null;

  @Field(() => Float, { nullable: true, description: 'Largest value; null for no deals.' })
  max: number | null;

  @Field(() => Int, { description: 'Deals of the group that are WON.' })
  wonCount: number;

  @Field(() => Int, { description: 'Deals of the group that are LOST.' })
  lostCount: number;

  @Field(() => Float, { nullable: true, description: 'wonCount ÷ (wonCount + lostCount); null when none is closed.' })
  winRate: number | null;

  @Field(() => Float, { nullable: true, description: 'Mean days from createdAt to closedAt of the WON deals of the group; null when none.' })
  averageSalesCycleDays: number | null;
}

type ByIds<T> = { loadMany(ids: string[]): Promise<(T | null | Error)[]> };

/** The rows of `ids` a loader found, by id (a loader's error is thrown). */
async function found<T>(loader: ByIds<T>, ids: (string | null)[]): Promise<Map<string, T>> {
  const distinct = [...new Set(ids.filter((id): id is string => id !== null))];
  const values = await loader.loadMany(distinct);
  const map = new Map<string, T>();
  distinct.forEach((id, i) => {
    const value = values[i];
    if (value instanceof Error) throw value;
    if (value) map.set(id, value);
  });
  return map;
}

/**
 * Sets `stage`, `owner` and `pipeline` of every group from the request's loaders: one batch
 * each for all the distinct keys, instead of a field resolver call per group.
 */
export async function resolveGroupKeys(
  rows: DealAggregate[],
  loaders: { stage: ByIds<Stage>; user: ByIds<User>; pipeline: ByIds<Pipeline> },
): Promise<DealAggregate[]> {
  const groups = rows.map((r) => r.group);
  const [stages, owners, pipelines] = await Promise.all([
    found(loaders.stage, groups.map((g) => g.stageId)),
    found(loaders.user, groups.map((g) => g.ownerId)),
    found(loaders.pipeline, groups.map((g) => g.pipelineId)),
  ]);
  for (const group of groups) {
    group.stage = group.stageId ? stages.get(group.stageId) ?? null : null;
    group.owner = group.ownerId ? owners.get(group.ownerId) ?? null : null;
    group.pipeline = group.pipelineId ? pipelines.get(group.pipelineId) ?? null : null;
  }
  return rows;
}
