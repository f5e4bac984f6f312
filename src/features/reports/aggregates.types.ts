import { Field, Float, Int, ObjectType, registerEnumType } from 'type-graphql';
import { DealStatus } from '../deals/deal.enums';
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
}

registerEnumType(DealGroupField, {
  name: 'DealGroupField',
  description: 'What deals can be grouped by. Months are calendar months in UTC, as YYYY-MM.',
  valuesConfig: {
    STAGE: { description: 'The stage a deal is in now.' },
    OWNER: { description: 'The owner; unowned deals form a group of their own (owner null).' },
    STATUS: { description: 'OPEN, WON or LOST.' },
    LEAD_SOURCE: { description: 'Source of the lead the deal came from; deals without a lead form a group with leadSource null.' },
    CREATED_MONTH: { description: 'Month of createdAt.' },
    CLOSED_MONTH: { description: 'Month of closedAt; open deals form a group with closedMonth null.' },
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

  /** Internal keys, resolved to `stage` and `owner` through the request's loaders (see resolveGroupKeys). */
  stageId: string | null;
  ownerId: string | null;
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
}

/**
 * Sets `stage` and `owner` of every group from the request's loaders: one batch each for
 * all the distinct keys, instead of a field resolver call per group.
 */
export async function resolveGroupKeys(
  rows: DealAggregate[],
  loaders: { stage: { loadMany(ids: string[]): Promise<(Stage | null | Error)[]> }; user: { loadMany(ids: string[]): Promise<(User | null | Error)[]> } },
): Promise<DealAggregate[]> {
  const distinct = (ids: (string | null)[]) => [...new Set(ids.filter((id): id is string => id !== null))];
  const stageIds = distinct(rows.map((r) => r.group.stageId));
  const ownerIds = distinct(rows.map((r) => r.group.ownerId));
  const [stages, owners] = await Promise.all([loaders.stage.loadMany(stageIds), loaders.user.loadMany(ownerIds)]);
  const found = <T>(ids: string[], values: (T | null | Error)[]) => {
    const map = new Map<string, T>();
    ids.forEach((id, i) => {
      const value = values[i];
      if (value instanceof Error) throw value;
      if (value) map.set(id, value);
    });
    return map;
  };
  const stageById = found(stageIds, stages);
  const ownerById = found(ownerIds, owners);
  for (const { group } of rows) {
    group.stage = group.stageId ? stageById.get(group.stageId) ?? null : null;
    group.owner = group.ownerId ? ownerById.get(group.ownerId) ?? null : null;
  }
  return rows;
}
