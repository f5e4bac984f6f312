import type { Context } from './context';
import { SqlAnswers } from './infra/sql-answers/sql-answers.plugin';
import { dealStatement } from './features/deals/deal.answer';
import { dealListStatement } from './features/deals/deal-list.answer';
import { leadListStatement } from './features/leads/lead-list.answer';
import { boardStatement, pipelinesStatement } from './features/pipelines/board.answer';
import { answerDealAggregates } from './features/reports/aggregates.answer';

/**
 * The root fields PostgreSQL answers in one statement, each written beside its resolver:
 * board, pipelines, deal, deals-list and leads-list queries, alone or several in one document,
 * and the deal aggregates report alone (under the report timeout).
 */
export const SQL_ANSWERS: SqlAnswers<Context> = {
  statements: {
    pipeline: boardStatement,
    pipelines: pipelinesStatement,
    deal: dealStatement,
    deals: dealListStatement,
    leads: leadListStatement,
  },
  alone: { dealAggregates: answerDealAggregates },
};
