import type { Context } from './context';
import { SqlAnswers } from './infra/sql-answers/sql-answers.plugin';
import { activityNode } from './features/activities/activity.answer';
import { dealStatement } from './features/deals/deal.answer';
import { dealListStatement } from './features/deals/deal-list.answer';
import { dealNode, stageChangeNode } from './features/deals/deal-node.answer';
import { dealEventNode } from './features/history/timeline.answer';
import { leadListStatement, leadNode, leadStatement } from './features/leads/lead.answer';
import { boardStatement, pipelineNode, pipelinesStatement, stageNode } from './features/pipelines/board.answer';
import { answerDealAggregates } from './features/reports/aggregates.answer';
import { meStatement, userNode, usersStatement } from './features/workspaces/user.answer';

/**
 * What PostgreSQL answers in one statement, each part written beside its resolver: the root
 * fields below, alone or several in one document, with every field the node readers answer,
 * nested to any depth (a field none answers, such as a pipeline's `metrics` or a timeline
 * page after a cursor, leaves the root field to graphql-js); and the deal aggregates report alone (under the report timeout).
 */
export const SQL_ANSWERS: SqlAnswers<Context> = {
  statements: {
    pipeline: boardStatement,
    pipelines: pipelinesStatement,
    deal: dealStatement,
    deals: dealListStatement,
    lead: leadStatement,
    leads: leadListStatement,
    users: usersStatement,
    me: meStatement,
  },
  alone: { dealAggregates: answerDealAggregates },
  nodes: {
    Deal: dealNode,
    StageChange: stageChangeNode,
    DealEvent: dealEventNode,
    Stage: stageNode,
    Pipeline: pipelineNode,
    Lead: leadNode,
    Activity: activityNode,
    User: userNode,
  },
};
