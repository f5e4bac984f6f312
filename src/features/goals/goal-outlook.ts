import { num } from '../../infra/db/numeric';
import { GoalMetric } from './goal.enums';

/** Metrics that add up over the period; the others are rates and averages. */
const CUMULATIVE = new Set([GoalMetric.WON_VALUE, GoalMetric.WON_COUNT, GoalMetric.NEW_DEALS]);

/** What a goal's figures say of where it is heading (see GoalProgress). */
export interface GoalOutlook {
  onTrack: boolean;
  projected: number | null;
  pipelineValue: number | null;
  coverage: number | null;
  requiredCoverage: number | null;
}

/**
 * onTrack, projection and coverage of a goal from its measure and the outlook figures of
 * GOAL_PROGRESS_SQL (`pipeline_value`, `recent_won`, `recent_lost`, read for WON_VALUE only).
 * A cumulative metric is on track when attainment keeps up with the time elapsed; a rate or
 * an average only when it already meets its target.
 */
export function outlook(
  metric: GoalMetric, target: number, measure: { actual: number; attainment: number | null; elapsed: number }, row: Record<string, unknown>,
): GoalOutlook {
  const { actual, attainment, elapsed } = measure;
  const cumulative = CUMULATIVE.has(metric);
  const onTrack = attainment !== null && attainment >= (cumulative ? elapsed : 1);
  const projected = cumulative && elapsed > 0 ? actual / elapsed : null;
  if (metric !== GoalMetric.WON_VALUE) return { onTrack, projected, pipelineValue: null, coverage: null, requiredCoverage: null };
  const pipelineValue = num(row.pipeline_value) ?? 0;
  const remaining = Math.max(target - actual, 0);
  const won = row.recent_won as number;
  const closed = won + (row.recent_lost as number);
  return {
    onTrack,
    projected,
    pipelineValue,
    coverage: remaining === 0 ? null : pipelineValue / remaining,
    requiredCoverage: won === 0 ? null : 1 / (won / closed),
  };
}
