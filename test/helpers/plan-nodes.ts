/** One node of a plan as `EXPLAIN (FORMAT JSON)` prints it: the fields the plan tests read. */
export interface PlanNode {
  'Node Type': string;
  'One-Time Filter'?: string;
  'Index Name'?: string;
  'Index Cond'?: string;
  Alias?: string;
  'Relation Name'?: string;
  'Parent Relationship'?: string;
  'Subplan Name'?: string;
  'Actual Rows'?: number;
  'Actual Loops'?: number;
  'Rows Removed by Filter'?: number;
  'Heap Fetches'?: number;
  Plans?: PlanNode[];
}

/** A plan's nodes, the root first, each before its children. */
export const planNodes = (plan: PlanNode): PlanNode[] => [plan, ...(plan.Plans ?? []).flatMap(planNodes)];
