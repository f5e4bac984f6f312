import { Stage } from '../pipelines/stage.entity';
import { DealStatus } from './deal.enums';

/**
 * Stalled: an OPEN deal in a stage with `rottingAfterDays` set, where now minus
 * the later of `stageEnteredAt` and `lastActivityAt` exceeds that many days. The SQL and the
 * function below say the same thing; keep them together.
 */
export const STALLED_SQL = (deal: string, stage: string) =>
  `(${deal}.status = 'OPEN' AND ${stage}.rotting_after_days IS NOT NULL
    AND now() - GREATEST(${deal}.stage_entered_at, ${deal}.last_activity_at) > ${stage}.rotting_after_days * interval '1 day')`;

const DAY_MS = 86_400_000;

export function isStalled(
  deal: { status: DealStatus; stageEnteredAt: Date; lastActivityAt: Date | null },
  stage: Pick<Stage, 'rottingAfterDays'>,
  now = new Date(),
): boolean {
  if (deal.status !== DealStatus.OPEN || stage.rottingAfterDays === null) return false;
  const idleSince = Math.max(deal.stageEnteredAt.getTime(), deal.lastActivityAt?.getTime() ?? 0);
  return now.getTime() - idleSince > stage.rottingAfterDays * DAY_MS;
}
