/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';
export type Maybe<T> = T | null;
export type InputMaybe<T> = Maybe<T>;
/** All built-in and custom scalars, mapped to their actual values */
export type Scalars = {
  ID: { input: string; output: string; }
  String: { input: string; output: string; }
  Boolean: { input: boolean; output: boolean; }
  Int: { input: number; output: number; }
  Float: { input: number; output: number; }
  /** A date-time string at UTC, such as 2007-12-03T10:15:30Z, compliant with the `date-time` format outlined in section 5.6 of the RFC 3339 profile of the ISO 8601 standard for representation of dates and times using the Gregorian calendar. */
  DateTime: { input: string; output: string; }
};

/** Kind of activity. */
export type ActivityType =
  | 'CALL'
  | 'EMAIL'
  | 'MEETING'
  | 'NOTE'
  | 'TASK';

/** The deal a lead becomes. */
export type ConvertLeadInput = {
  /** When the deal is expected to close. */
  expectedCloseDate?: InputMaybe<Scalars['DateTime']['input']>;
  /** Deal owner; default: the lead's owner. */
  ownerId?: InputMaybe<Scalars['ID']['input']>;
  /** Pipeline of the new deal; it starts in the first OPEN stage. */
  pipelineId: Scalars['ID']['input'];
  /** Deal title. */
  title: Scalars['String']['input'];
  /** Deal value. */
  value: Scalars['Float']['input'];
};

/** A new deal. */
export type CreateDealInput = {
  /** When the deal is expected to close. */
  expectedCloseDate?: InputMaybe<Scalars['DateTime']['input']>;
  /** The lead this deal comes from (one deal per lead). */
  leadId?: InputMaybe<Scalars['ID']['input']>;
  /** Owner; default: the creator when a rep, else nobody. */
  ownerId?: InputMaybe<Scalars['ID']['input']>;
  /** Pipeline of the deal. */
  pipelineId: Scalars['ID']['input'];
  /** An OPEN stage of that pipeline; default: its first OPEN stage. */
  stageId?: InputMaybe<Scalars['ID']['input']>;
  /** Title, 1 to 200 characters. */
  title: Scalars['String']['input'];
  /** Value, 0 to 999,999,999,999.99; rounded to the cent. */
  value: Scalars['Float']['input'];
};

/** A new lead. */
export type CreateLeadInput = {
  /** Campaign that generated it. */
  campaign?: InputMaybe<Scalars['String']['input']>;
  /** Company name. */
  company?: InputMaybe<Scalars['String']['input']>;
  /** Contact email. */
  email?: InputMaybe<Scalars['String']['input']>;
  /** Name of the person or account, 1 to 200 characters. */
  name: Scalars['String']['input'];
  /** Owner; default: the creator when a rep, else nobody. */
  ownerId?: InputMaybe<Scalars['ID']['input']>;
  /** Lead score, 0 to 1000. */
  score?: InputMaybe<Scalars['Int']['input']>;
  /** Channel the lead came from. */
  source: LeadSource;
};

/** A new pipeline with its stages, in order. */
export type CreatePipelineInput = {
  /** Pipeline name, 1 to 200 characters. */
  name: Scalars['String']['input'];
  /** Stages in order: one or more OPEN, then one WON and one LOST. */
  stages: Array<StageInput>;
};

/** A half-open period, from ≤ t < to. Absent `to`: now; absent `from`: `to` minus 90 days. */
export type DateRange = {
  /** Start, included; default: `to` minus 90 days. */
  from?: InputMaybe<Scalars['DateTime']['input']>;
  /** End, excluded; default: now. */
  to?: InputMaybe<Scalars['DateTime']['input']>;
};

/** What a committed change did to a deal. */
export type DealEventType =
  | 'CREATED'
  | 'DELETED'
  | 'LOST'
  | 'MOVED'
  | 'REOPENED'
  | 'UPDATED'
  | 'WON';

/** Conditions a deal must all meet. Date bounds are half-open: after ≤ t < before. */
export type DealFilter = {
  /** Closed at or after this time. */
  closedAfter?: InputMaybe<Scalars['DateTime']['input']>;
  /** Closed before this time. */
  closedBefore?: InputMaybe<Scalars['DateTime']['input']>;
  /** Created at or after this time. */
  createdAfter?: InputMaybe<Scalars['DateTime']['input']>;
  /** Created before this time. */
  createdBefore?: InputMaybe<Scalars['DateTime']['input']>;
  /** Deals whose lead came from this source. */
  leadSource?: InputMaybe<LeadSource>;
  /** Deals owned by this user. */
  ownerId?: InputMaybe<Scalars['ID']['input']>;
  /** Deals of this pipeline. */
  pipelineId?: InputMaybe<Scalars['ID']['input']>;
  /** Title contains this text, ignoring case. */
  search?: InputMaybe<Scalars['String']['input']>;
  /** Deals in any of these stages. */
  stageIds?: InputMaybe<Array<Scalars['ID']['input']>>;
  /** true: only stalled deals (see Deal.isStalled); false: only deals not stalled. */
  stalled?: InputMaybe<Scalars['Boolean']['input']>;
  /** Deals with this status. */
  status?: InputMaybe<DealStatus>;
  /** Value at most this. */
  valueMax?: InputMaybe<Scalars['Float']['input']>;
  /** Value at least this. */
  valueMin?: InputMaybe<Scalars['Float']['input']>;
};

/** What deals can be grouped by. Months are calendar months in UTC, as YYYY-MM. */
export type DealGroupField =
  /** Month of closedAt; open deals form a group with closedMonth null. */
  | 'CLOSED_MONTH'
  /** Month of createdAt. */
  | 'CREATED_MONTH'
  /** Source of the lead the deal came from; deals without a lead form a group with leadSource null. */
  | 'LEAD_SOURCE'
  /** The owner; unowned deals form a group of their own (owner null). */
  | 'OWNER'
  /** The stage a deal is in now. */
  | 'STAGE'
  /** OPEN, WON or LOST. */
  | 'STATUS';

/** One ordering term; later terms break ties of earlier ones. */
export type DealOrder = {
  /** Direction. */
  direction: OrderDirection;
  /** Field to order by. */
  field: DealOrderField;
};

/** Fields deals can be ordered by. Deals without an expected close date come last in either direction. */
export type DealOrderField =
  | 'CREATED_AT'
  | 'EXPECTED_CLOSE_DATE'
  | 'STAGE_ENTERED_AT'
  | 'TITLE'
  | 'UPDATED_AT'
  | 'VALUE';

/** Whether a deal is open, won or lost. */
export type DealStatus =
  | 'LOST'
  | 'OPEN'
  | 'WON';

/** What a goal measures over its period (deleted deals count nowhere). */
export type GoalMetric =
  /** Mean value of the deals won in the period. */
  | 'AVERAGE_DEAL_SIZE'
  /** Deals created in the period. */
  | 'NEW_DEALS'
  /** Mean days from createdAt to closedAt of the deals won in the period; lower is better. */
  | 'SALES_CYCLE_DAYS'
  /** won ÷ (won + lost), closed in the period; a fraction 0..1. */
  | 'WIN_RATE'
  /** Deals won in the period. */
  | 'WON_COUNT'
  /** Sum of the value of the deals won (closedAt) in the period. */
  | 'WON_VALUE';

/** Conditions a lead must all meet. */
export type LeadFilter = {
  /** Leads of this campaign. */
  campaign?: InputMaybe<Scalars['String']['input']>;
  /** Leads owned by this user. */
  ownerId?: InputMaybe<Scalars['ID']['input']>;
  /** Name, company or email contains this text, ignoring case. */
  search?: InputMaybe<Scalars['String']['input']>;
  /** Leads from this source. */
  source?: InputMaybe<LeadSource>;
  /** Leads with this status. */
  status?: InputMaybe<LeadStatus>;
};

/** What the lead funnel can be split by. */
export type LeadGroupField =
  /** The campaign; leads without one form a row with campaign null. */
  | 'CAMPAIGN'
  /** Calendar month (UTC) of the lead's creation, YYYY-MM. */
  | 'CREATED_MONTH'
  /** The channel a lead came from. */
  | 'SOURCE';

/** The channel a lead came from. */
export type LeadSource =
  | 'EMAIL'
  | 'EVENT'
  | 'INBOUND'
  | 'ORGANIC_SEARCH'
  | 'OTHER'
  | 'OUTBOUND'
  | 'PAID_ADS'
  | 'PARTNER'
  | 'REFERRAL'
  | 'SOCIAL';

/** Where a lead stands between first contact and conversion. */
export type LeadStatus =
  /** Converted into a deal; final. */
  | 'CONVERTED'
  /** Not a fit. */
  | 'DISQUALIFIED'
  /** Marketing-qualified lead. */
  | 'MQL'
  /** Just generated, not yet worked. */
  | 'NEW'
  /** Being nurtured until ready to qualify. */
  | 'NURTURING'
  /** Sales-qualified lead. */
  | 'SQL';

/** A new activity on a deal, a lead, or both. */
export type LogActivityInput = {
  /** The deal it belongs to. */
  dealId?: InputMaybe<Scalars['ID']['input']>;
  /** Already done at this time (e.g. a call that just happened). */
  doneAt?: InputMaybe<Scalars['DateTime']['input']>;
  /** When it is due. */
  dueAt?: InputMaybe<Scalars['DateTime']['input']>;
  /** The lead it belongs to. */
  leadId?: InputMaybe<Scalars['ID']['input']>;
  /** What it is about, 1 to 200 characters. */
  subject: Scalars['String']['input'];
  /** Kind of activity. */
  type: ActivityType;
};

/** Ascending or descending. */
export type OrderDirection =
  | 'ASC'
  | 'DESC';

/** What a user may do in a workspace. */
export type Role =
  /** Everything. */
  | 'ADMIN'
  /** Reads everything, queries and subscriptions; writes nothing. */
  | 'ANALYST'
  /** All leads, deals, activities and pipeline set-up. */
  | 'MANAGER'
  /** Reads everything; writes leads, deals and activities it owns or that are unowned. */
  | 'REP';

/** A goal to create, or, with `id`, the new settings of an existing goal. ADMIN or MANAGER. */
export type SetGoalInput = {
  /** Start of the period, included. */
  from: Scalars['DateTime']['input'];
  /** An existing goal to change; absent: a new goal. */
  id?: InputMaybe<Scalars['ID']['input']>;
  /** What the goal measures. */
  metric: GoalMetric;
  /** Only deals of this owner (user id) count; absent: every owner. */
  ownerId?: InputMaybe<Scalars['ID']['input']>;
  /** Only deals of this pipeline count; absent: every pipeline. */
  pipelineId?: InputMaybe<Scalars['ID']['input']>;
  /** Target, greater than 0; at most 1 for WIN_RATE. */
  target: Scalars['Float']['input'];
  /** End of the period, excluded; after `from`. */
  to: Scalars['DateTime']['input'];
};

/** One stage of a new pipeline. */
export type StageInput = {
  /** OPEN stages first, then exactly one WON and one LOST stage. */
  kind: StageKind;
  /** Stage name, 1 to 200 characters. */
  name: Scalars['String']['input'];
  /** Chance, 0..1, that a deal in this stage is won. */
  probability: Scalars['Float']['input'];
  /** Days of idleness after which an open deal here is stalled. */
  rottingAfterDays?: InputMaybe<Scalars['Int']['input']>;
};

/** Whether deals in a stage are still being worked, won or lost. */
export type StageKind =
  /** The single stage of lost deals. */
  | 'LOST'
  /** Deals are being worked. */
  | 'OPEN'
  /** The single stage of won deals. */
  | 'WON';

/** Changes to a deal; absent fields stay as they are, null clears. */
export type UpdateDealInput = {
  /** New expected close date; null clears it. */
  expectedCloseDate?: InputMaybe<Scalars['DateTime']['input']>;
  /** New owner; null leaves the deal unowned. */
  ownerId?: InputMaybe<Scalars['ID']['input']>;
  /** New title. */
  title?: InputMaybe<Scalars['String']['input']>;
  /** New value. */
  value?: InputMaybe<Scalars['Float']['input']>;
};

/** Changes to a lead; absent fields stay as they are, null clears. */
export type UpdateLeadInput = {
  /** New campaign. */
  campaign?: InputMaybe<Scalars['String']['input']>;
  /** New company. */
  company?: InputMaybe<Scalars['String']['input']>;
  /** New email. */
  email?: InputMaybe<Scalars['String']['input']>;
  /** New name. */
  name?: InputMaybe<Scalars['String']['input']>;
  /** New owner; null leaves the lead unowned. */
  ownerId?: InputMaybe<Scalars['ID']['input']>;
  /** New score. */
  score?: InputMaybe<Scalars['Int']['input']>;
  /** New source. */
  source?: InputMaybe<LeadSource>;
};

/** Changes to a stage; absent fields stay as they are. */
export type UpdateStageInput = {
  /** New name. */
  name?: InputMaybe<Scalars['String']['input']>;
  /** New probability, 0..1. */
  probability?: InputMaybe<Scalars['Float']['input']>;
  /** New rotting threshold in days; null turns it off. */
  rottingAfterDays?: InputMaybe<Scalars['Int']['input']>;
};

/** A new deal. */
export type CreateDealInput = {
  /** When the deal is expected to close. */
  expectedCloseDate?: string | null | undefined;
  /** The lead this deal comes from (one deal per lead). */
  leadId?: string | number | null | undefined;
  /** Owner; default: the creator when a rep, else nobody. */
  ownerId?: string | number | null | undefined;
  /** Pipeline of the deal. */
  pipelineId: string | number;
  /** An OPEN stage of that pipeline; default: its first OPEN stage. */
  stageId?: string | number | null | undefined;
  /** Title, 1 to 200 characters. */
  title: string;
  /** Value, 0 to 999,999,999,999.99; rounded to the cent. */
  value: number;
};

/** A half-open period, from ≤ t < to. Absent `to`: now; absent `from`: `to` minus 90 days. */
export type DateRange = {
  /** Start, included; default: `to` minus 90 days. */
  from?: string | null | undefined;
  /** End, excluded; default: now. */
  to?: string | null | undefined;
};

/** What a committed change did to a deal. */
export type DealEventType =
  | 'CREATED'
  | 'DELETED'
  | 'LOST'
  | 'MOVED'
  | 'REOPENED'
  | 'UPDATED'
  | 'WON';

/** Whether a deal is open, won or lost. */
export type DealStatus =
  | 'LOST'
  | 'OPEN'
  | 'WON';

/** Whether deals in a stage are still being worked, won or lost. */
export type StageKind =
  /** The single stage of lost deals. */
  | 'LOST'
  /** Deals are being worked. */
  | 'OPEN'
  /** The single stage of won deals. */
  | 'WON';

/** Changes to a deal; absent fields stay as they are, null clears. */
export type UpdateDealInput = {
  /** New expected close date; null clears it. */
  expectedCloseDate?: string | null | undefined;
  /** New owner; null leaves the deal unowned. */
  ownerId?: string | number | null | undefined;
  /** New title. */
  title?: string | null | undefined;
  /** New value. */
  value?: number | null | undefined;
};

export type DealCardFragment = { id: string, title: string, value: number, status: DealStatus, version: number, isStalled: boolean, stageEnteredAt: string, expectedCloseDate: string | null, owner: { id: string, name: string | null } | null, stage: { id: string } };

export type MetricsTilesFragment = { openDealCount: number, openValue: number, weightedOpenValue: number, wonCount: number, lostCount: number, wonValue: number, winRate: number | null, averageDealSize: number | null, averageSalesCycleDays: number | null, velocityPerDay: number | null, computedAt: string, stages: Array<{ dealCount: number, value: number, weightedValue: number, stalledCount: number, conversionRate: number | null, averageDaysInStage: number | null, stage: { id: string } }> };

export type PipelinesQueryVariables = Exact<{ [key: string]: never; }>;


export type PipelinesQuery = { pipelines: Array<{ id: string, name: string }> };

export type BoardQueryVariables = Exact<{
  pipelineId: string | number;
  dealsPerStage?: number | null | undefined;
}>;


export type BoardQuery = { pipeline: { id: string, name: string, stages: Array<{ id: string, name: string, position: number, kind: StageKind, probability: number, rottingAfterDays: number | null, deals: { totalCount: number, nodes: Array<{ id: string, title: string, value: number, status: DealStatus, version: number, isStalled: boolean, stageEnteredAt: string, expectedCloseDate: string | null, owner: { id: string, name: string | null } | null, stage: { id: string } }>, pageInfo: { hasNextPage: boolean, endCursor: string | null } } }> } | null, pipelineMetrics: { openDealCount: number, openValue: number, weightedOpenValue: number, wonCount: number, lostCount: number, wonValue: number, winRate: number | null, averageDealSize: number | null, averageSalesCycleDays: number | null, velocityPerDay: number | null, computedAt: string, stages: Array<{ dealCount: number, value: number, weightedValue: number, stalledCount: number, conversionRate: number | null, averageDaysInStage: number | null, stage: { id: string } }> } };

export type CreateDealMutationVariables = Exact<{
  input: CreateDealInput;
}>;


export type CreateDealMutation = { createDeal: { id: string, title: string, value: number, status: DealStatus, version: number, isStalled: boolean, stageEnteredAt: string, expectedCloseDate: string | null, owner: { id: string, name: string | null } | null, stage: { id: string } } };

export type UpdateDealMutationVariables = Exact<{
  id: string | number;
  input: UpdateDealInput;
  expectedVersion?: number | null | undefined;
}>;


export type UpdateDealMutation = { updateDeal: { id: string, title: string, value: number, status: DealStatus, version: number, isStalled: boolean, stageEnteredAt: string, expectedCloseDate: string | null, owner: { id: string, name: string | null } | null, stage: { id: string } } };

export type MoveDealMutationVariables = Exact<{
  id: string | number;
  stageId: string | number;
  expectedVersion?: number | null | undefined;
}>;


export type MoveDealMutation = { moveDeal: { id: string, title: string, value: number, status: DealStatus, version: number, isStalled: boolean, stageEnteredAt: string, expectedCloseDate: string | null, owner: { id: string, name: string | null } | null, stage: { id: string } } };

export type WinDealMutationVariables = Exact<{
  id: string | number;
  expectedVersion?: number | null | undefined;
}>;


export type WinDealMutation = { winDeal: { id: string, title: string, value: number, status: DealStatus, version: number, isStalled: boolean, stageEnteredAt: string, expectedCloseDate: string | null, owner: { id: string, name: string | null } | null, stage: { id: string } } };

export type LoseDealMutationVariables = Exact<{
  id: string | number;
  reason: string;
  expectedVersion?: number | null | undefined;
}>;


export type LoseDealMutation = { loseDeal: { lostReason: string | null, id: string, title: string, value: number, status: DealStatus, version: number, isStalled: boolean, stageEnteredAt: string, expectedCloseDate: string | null, owner: { id: string, name: string | null } | null, stage: { id: string } } };

export type ReopenDealMutationVariables = Exact<{
  id: string | number;
  stageId?: string | number | null | undefined;
}>;


export type ReopenDealMutation = { reopenDeal: { id: string, title: string, value: number, status: DealStatus, version: number, isStalled: boolean, stageEnteredAt: string, expectedCloseDate: string | null, owner: { id: string, name: string | null } | null, stage: { id: string } } };

export type DeleteDealMutationVariables = Exact<{
  id: string | number;
}>;


export type DeleteDealMutation = { deleteDeal: boolean };

export type DealEventsSubscriptionVariables = Exact<{
  pipelineId: string | number;
  after?: string | null | undefined;
}>;


export type DealEventsSubscription = { dealEvents: { seq: string, type: DealEventType, occurredAt: string, deal: { id: string, title: string, value: number, status: DealStatus, version: number, isStalled: boolean, stageEnteredAt: string, expectedCloseDate: string | null, owner: { id: string, name: string | null } | null, stage: { id: string } }, fromStage: { id: string, name: string } | null, toStage: { id: string, name: string } | null, actor: { id: string, name: string | null } | null } };

export type PipelineMetricsUpdatedSubscriptionVariables = Exact<{
  pipelineId: string | number;
  range?: DateRange | null | undefined;
}>;


export type PipelineMetricsUpdatedSubscription = { pipelineMetricsUpdated: { openDealCount: number, openValue: number, weightedOpenValue: number, wonCount: number, lostCount: number, wonValue: number, winRate: number | null, averageDealSize: number | null, averageSalesCycleDays: number | null, velocityPerDay: number | null, computedAt: string, stages: Array<{ dealCount: number, value: number, weightedValue: number, stalledCount: number, conversionRate: number | null, averageDaysInStage: number | null, stage: { id: string } }> } };

export const DealCardFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"DealCard"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Deal"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"title"}},{"kind":"Field","name":{"kind":"Name","value":"value"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"version"}},{"kind":"Field","name":{"kind":"Name","value":"isStalled"}},{"kind":"Field","name":{"kind":"Name","value":"stageEnteredAt"}},{"kind":"Field","name":{"kind":"Name","value":"expectedCloseDate"}},{"kind":"Field","name":{"kind":"Name","value":"owner"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"Field","name":{"kind":"Name","value":"stage"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}}]}}]}}]} as unknown as DocumentNode<DealCardFragment, unknown>;
export const MetricsTilesFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"MetricsTiles"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"PipelineMetrics"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"openDealCount"}},{"kind":"Field","name":{"kind":"Name","value":"openValue"}},{"kind":"Field","name":{"kind":"Name","value":"weightedOpenValue"}},{"kind":"Field","name":{"kind":"Name","value":"wonCount"}},{"kind":"Field","name":{"kind":"Name","value":"lostCount"}},{"kind":"Field","name":{"kind":"Name","value":"wonValue"}},{"kind":"Field","name":{"kind":"Name","value":"winRate"}},{"kind":"Field","name":{"kind":"Name","value":"averageDealSize"}},{"kind":"Field","name":{"kind":"Name","value":"averageSalesCycleDays"}},{"kind":"Field","name":{"kind":"Name","value":"velocityPerDay"}},{"kind":"Field","name":{"kind":"Name","value":"computedAt"}},{"kind":"Field","name":{"kind":"Name","value":"stages"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"stage"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}}]}},{"kind":"Field","name":{"kind":"Name","value":"dealCount"}},{"kind":"Field","name":{"kind":"Name","value":"value"}},{"kind":"Field","name":{"kind":"Name","value":"weightedValue"}},{"kind":"Field","name":{"kind":"Name","value":"stalledCount"}},{"kind":"Field","name":{"kind":"Name","value":"conversionRate"}},{"kind":"Field","name":{"kind":"Name","value":"averageDaysInStage"}}]}}]}}]} as unknown as DocumentNode<MetricsTilesFragment, unknown>;
export const PipelinesDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"Pipelines"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"pipelines"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}}]}}]} as unknown as DocumentNode<PipelinesQuery, PipelinesQueryVariables>;
export const BoardDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"Board"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"pipelineId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"dealsPerStage"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}},"defaultValue":{"kind":"IntValue","value":"20"}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"pipeline"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"pipelineId"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"stages"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"position"}},{"kind":"Field","name":{"kind":"Name","value":"kind"}},{"kind":"Field","name":{"kind":"Name","value":"probability"}},{"kind":"Field","name":{"kind":"Name","value":"rottingAfterDays"}},{"kind":"Field","name":{"kind":"Name","value":"deals"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"dealsPerStage"}}},{"kind":"Argument","name":{"kind":"Name","value":"orderBy"},"value":{"kind":"ListValue","values":[{"kind":"ObjectValue","fields":[{"kind":"ObjectField","name":{"kind":"Name","value":"field"},"value":{"kind":"EnumValue","value":"STAGE_ENTERED_AT"}},{"kind":"ObjectField","name":{"kind":"Name","value":"direction"},"value":{"kind":"EnumValue","value":"DESC"}}]}]}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"totalCount"}},{"kind":"Field","name":{"kind":"Name","value":"nodes"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"DealCard"}}]}},{"kind":"Field","name":{"kind":"Name","value":"pageInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"hasNextPage"}},{"kind":"Field","name":{"kind":"Name","value":"endCursor"}}]}}]}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"pipelineMetrics"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"pipelineId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"pipelineId"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"MetricsTiles"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"DealCard"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Deal"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"title"}},{"kind":"Field","name":{"kind":"Name","value":"value"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"version"}},{"kind":"Field","name":{"kind":"Name","value":"isStalled"}},{"kind":"Field","name":{"kind":"Name","value":"stageEnteredAt"}},{"kind":"Field","name":{"kind":"Name","value":"expectedCloseDate"}},{"kind":"Field","name":{"kind":"Name","value":"owner"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"Field","name":{"kind":"Name","value":"stage"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"MetricsTiles"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"PipelineMetrics"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"openDealCount"}},{"kind":"Field","name":{"kind":"Name","value":"openValue"}},{"kind":"Field","name":{"kind":"Name","value":"weightedOpenValue"}},{"kind":"Field","name":{"kind":"Name","value":"wonCount"}},{"kind":"Field","name":{"kind":"Name","value":"lostCount"}},{"kind":"Field","name":{"kind":"Name","value":"wonValue"}},{"kind":"Field","name":{"kind":"Name","value":"winRate"}},{"kind":"Field","name":{"kind":"Name","value":"averageDealSize"}},{"kind":"Field","name":{"kind":"Name","value":"averageSalesCycleDays"}},{"kind":"Field","name":{"kind":"Name","value":"velocityPerDay"}},{"kind":"Field","name":{"kind":"Name","value":"computedAt"}},{"kind":"Field","name":{"kind":"Name","value":"stages"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"stage"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}}]}},{"kind":"Field","name":{"kind":"Name","value":"dealCount"}},{"kind":"Field","name":{"kind":"Name","value":"value"}},{"kind":"Field","name":{"kind":"Name","value":"weightedValue"}},{"kind":"Field","name":{"kind":"Name","value":"stalledCount"}},{"kind":"Field","name":{"kind":"Name","value":"conversionRate"}},{"kind":"Field","name":{"kind":"Name","value":"averageDaysInStage"}}]}}]}}]} as unknown as DocumentNode<BoardQuery, BoardQueryVariables>;
export const CreateDealDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"CreateDeal"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"CreateDealInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"createDeal"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"DealCard"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"DealCard"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Deal"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"title"}},{"kind":"Field","name":{"kind":"Name","value":"value"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"version"}},{"kind":"Field","name":{"kind":"Name","value":"isStalled"}},{"kind":"Field","name":{"kind":"Name","value":"stageEnteredAt"}},{"kind":"Field","name":{"kind":"Name","value":"expectedCloseDate"}},{"kind":"Field","name":{"kind":"Name","value":"owner"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"Field","name":{"kind":"Name","value":"stage"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}}]}}]}}]} as unknown as DocumentNode<CreateDealMutation, CreateDealMutationVariables>;
export const UpdateDealDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"UpdateDeal"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"UpdateDealInput"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"expectedVersion"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"updateDeal"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}},{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}},{"kind":"Argument","name":{"kind":"Name","value":"expectedVersion"},"value":{"kind":"Variable","name":{"kind":"Name","value":"expectedVersion"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"DealCard"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"DealCard"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Deal"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"title"}},{"kind":"Field","name":{"kind":"Name","value":"value"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"version"}},{"kind":"Field","name":{"kind":"Name","value":"isStalled"}},{"kind":"Field","name":{"kind":"Name","value":"stageEnteredAt"}},{"kind":"Field","name":{"kind":"Name","value":"expectedCloseDate"}},{"kind":"Field","name":{"kind":"Name","value":"owner"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"Field","name":{"kind":"Name","value":"stage"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}}]}}]}}]} as unknown as DocumentNode<UpdateDealMutation, UpdateDealMutationVariables>;
export const MoveDealDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"MoveDeal"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"stageId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"expectedVersion"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"moveDeal"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}},{"kind":"Argument","name":{"kind":"Name","value":"stageId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"stageId"}}},{"kind":"Argument","name":{"kind":"Name","value":"expectedVersion"},"value":{"kind":"Variable","name":{"kind":"Name","value":"expectedVersion"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"DealCard"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"DealCard"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Deal"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"title"}},{"kind":"Field","name":{"kind":"Name","value":"value"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"version"}},{"kind":"Field","name":{"kind":"Name","value":"isStalled"}},{"kind":"Field","name":{"kind":"Name","value":"stageEnteredAt"}},{"kind":"Field","name":{"kind":"Name","value":"expectedCloseDate"}},{"kind":"Field","name":{"kind":"Name","value":"owner"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"Field","name":{"kind":"Name","value":"stage"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}}]}}]}}]} as unknown as DocumentNode<MoveDealMutation, MoveDealMutationVariables>;
export const WinDealDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"WinDeal"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"expectedVersion"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"winDeal"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}},{"kind":"Argument","name":{"kind":"Name","value":"expectedVersion"},"value":{"kind":"Variable","name":{"kind":"Name","value":"expectedVersion"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"DealCard"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"DealCard"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Deal"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"title"}},{"kind":"Field","name":{"kind":"Name","value":"value"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"version"}},{"kind":"Field","name":{"kind":"Name","value":"isStalled"}},{"kind":"Field","name":{"kind":"Name","value":"stageEnteredAt"}},{"kind":"Field","name":{"kind":"Name","value":"expectedCloseDate"}},{"kind":"Field","name":{"kind":"Name","value":"owner"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"Field","name":{"kind":"Name","value":"stage"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}}]}}]}}]} as unknown as DocumentNode<WinDealMutation, WinDealMutationVariables>;
export const LoseDealDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"LoseDeal"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"reason"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"expectedVersion"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"loseDeal"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}},{"kind":"Argument","name":{"kind":"Name","value":"reason"},"value":{"kind":"Variable","name":{"kind":"Name","value":"reason"}}},{"kind":"Argument","name":{"kind":"Name","value":"expectedVersion"},"value":{"kind":"Variable","name":{"kind":"Name","value":"expectedVersion"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"DealCard"}},{"kind":"Field","name":{"kind":"Name","value":"lostReason"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"DealCard"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Deal"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"title"}},{"kind":"Field","name":{"kind":"Name","value":"value"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"version"}},{"kind":"Field","name":{"kind":"Name","value":"isStalled"}},{"kind":"Field","name":{"kind":"Name","value":"stageEnteredAt"}},{"kind":"Field","name":{"kind":"Name","value":"expectedCloseDate"}},{"kind":"Field","name":{"kind":"Name","value":"owner"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"Field","name":{"kind":"Name","value":"stage"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}}]}}]}}]} as unknown as DocumentNode<LoseDealMutation, LoseDealMutationVariables>;
export const ReopenDealDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"ReopenDeal"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"stageId"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"reopenDeal"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}},{"kind":"Argument","name":{"kind":"Name","value":"stageId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"stageId"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"DealCard"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"DealCard"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Deal"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"title"}},{"kind":"Field","name":{"kind":"Name","value":"value"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"version"}},{"kind":"Field","name":{"kind":"Name","value":"isStalled"}},{"kind":"Field","name":{"kind":"Name","value":"stageEnteredAt"}},{"kind":"Field","name":{"kind":"Name","value":"expectedCloseDate"}},{"kind":"Field","name":{"kind":"Name","value":"owner"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"Field","name":{"kind":"Name","value":"stage"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}}]}}]}}]} as unknown as DocumentNode<ReopenDealMutation, ReopenDealMutationVariables>;
export const DeleteDealDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"DeleteDeal"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"deleteDeal"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}]}]}}]} as unknown as DocumentNode<DeleteDealMutation, DeleteDealMutationVariables>;
export const DealEventsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"subscription","name":{"kind":"Name","value":"DealEvents"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"pipelineId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"after"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"dealEvents"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"pipelineId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"pipelineId"}}},{"kind":"Argument","name":{"kind":"Name","value":"after"},"value":{"kind":"Variable","name":{"kind":"Name","value":"after"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"seq"}},{"kind":"Field","name":{"kind":"Name","value":"type"}},{"kind":"Field","name":{"kind":"Name","value":"occurredAt"}},{"kind":"Field","name":{"kind":"Name","value":"deal"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"DealCard"}}]}},{"kind":"Field","name":{"kind":"Name","value":"fromStage"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"Field","name":{"kind":"Name","value":"toStage"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"Field","name":{"kind":"Name","value":"actor"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"DealCard"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Deal"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"title"}},{"kind":"Field","name":{"kind":"Name","value":"value"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"version"}},{"kind":"Field","name":{"kind":"Name","value":"isStalled"}},{"kind":"Field","name":{"kind":"Name","value":"stageEnteredAt"}},{"kind":"Field","name":{"kind":"Name","value":"expectedCloseDate"}},{"kind":"Field","name":{"kind":"Name","value":"owner"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"Field","name":{"kind":"Name","value":"stage"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}}]}}]}}]} as unknown as DocumentNode<DealEventsSubscription, DealEventsSubscriptionVariables>;
export const PipelineMetricsUpdatedDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"subscription","name":{"kind":"Name","value":"PipelineMetricsUpdated"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"pipelineId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"range"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"DateRange"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"pipelineMetricsUpdated"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"pipelineId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"pipelineId"}}},{"kind":"Argument","name":{"kind":"Name","value":"range"},"value":{"kind":"Variable","name":{"kind":"Name","value":"range"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"MetricsTiles"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"MetricsTiles"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"PipelineMetrics"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"openDealCount"}},{"kind":"Field","name":{"kind":"Name","value":"openValue"}},{"kind":"Field","name":{"kind":"Name","value":"weightedOpenValue"}},{"kind":"Field","name":{"kind":"Name","value":"wonCount"}},{"kind":"Field","name":{"kind":"Name","value":"lostCount"}},{"kind":"Field","name":{"kind":"Name","value":"wonValue"}},{"kind":"Field","name":{"kind":"Name","value":"winRate"}},{"kind":"Field","name":{"kind":"Name","value":"averageDealSize"}},{"kind":"Field","name":{"kind":"Name","value":"averageSalesCycleDays"}},{"kind":"Field","name":{"kind":"Name","value":"velocityPerDay"}},{"kind":"Field","name":{"kind":"Name","value":"computedAt"}},{"kind":"Field","name":{"kind":"Name","value":"stages"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"stage"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}}]}},{"kind":"Field","name":{"kind":"Name","value":"dealCount"}},{"kind":"Field","name":{"kind":"Name","value":"value"}},{"kind":"Field","name":{"kind":"Name","value":"weightedValue"}},{"kind":"Field","name":{"kind":"Name","value":"stalledCount"}},{"kind":"Field","name":{"kind":"Name","value":"conversionRate"}},{"kind":"Field","name":{"kind":"Name","value":"averageDaysInStage"}}]}}]}}]} as unknown as DocumentNode<PipelineMetricsUpdatedSubscription, PipelineMetricsUpdatedSubscriptionVariables>;