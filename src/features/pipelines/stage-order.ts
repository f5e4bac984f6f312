import { BadInputError } from '../../infra/errors/domain-errors';
import { StageKind } from './stage-kind';

/**
 * A pipeline has one or more OPEN stages, then exactly one WON and one LOST stage, both
 * after every OPEN stage. Metrics and moves rely on this shape. `field`: the argument that
 * listed the stages, as the client wrote it (`input.stages`, `stageIds`).
 */
export function assertValidStageOrder(kinds: readonly StageKind[], field: string): void {
  const open = kinds.filter((k) => k === StageKind.OPEN).length;
  const won = kinds.filter((k) => k === StageKind.WON).length;
  const lost = kinds.filter((k) => k === StageKind.LOST).length;
  if (open < 1) throw new BadInputError('A pipeline needs at least one OPEN stage', field);
  if (won !== 1 || lost !== 1) throw new BadInputError('A pipeline needs exactly one WON and one LOST stage', field);
  const firstClosed = kinds.findIndex((k) => k !== StageKind.OPEN);
  if (kinds.slice(firstClosed).includes(StageKind.OPEN)) {
    throw new BadInputError('The WON and LOST stages must come after every OPEN stage', field);
  }
}
