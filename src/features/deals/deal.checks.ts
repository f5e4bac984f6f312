/** The rules a deal write checks in its own statement (see `writeDeal`), and the stages it can enter. */
import { EntityManager } from 'typeorm';
import { parseId } from '../../infra/db/ids';
import { SqlParams } from '../../infra/db/sql-params';
import { BadInputError, ConflictError, DomainError, ForbiddenError, NotFoundError, refusal } from '../../infra/errors/domain-errors';
import { assertCanWriteOwned } from '../workspaces/access';
import { Viewer } from '../workspaces/viewer';
import { Deal } from './deal.entity';
import { DealCheck, UNCHANGED, columnValues } from './deal.ledger';

/** The checks of every write a user asks for, in this order: the version they saw, then their right to change the deal. */
export function userWrite(viewer: Viewer, expectedVersion?: number | null): DealCheck[] {
  return [...(expectedVersion === undefined || expectedVersion === null ? [] : [atVersion(expectedVersion)]), writableBy(viewer)];
}

function atVersion(expected: number): DealCheck {
  return {
    holds: (params) => `deal.version = ${params.add(expected)}::int`,
    otherwise: (deal) => new ConflictError(`The deal is at version ${deal.version}, not ${expected}; reload it and retry`, {
      currentVersion: deal.version,
    }),
  };
}

/**
 * `assertCanWriteOwned` for the locked deal's owner. The rule depends on the owner only through
 * three cases (nobody, the viewer, someone else): each is decided here by the rule itself, and
 * the statement picks the case, so the rule stays written once.
 */
function writableBy(viewer: Viewer): DealCheck {
  const may = (ownerId: string | null) => refusal(() => assertCanWriteOwned(viewer, ownerId, 'deal')) === undefined;
  return {
    holds: (params) => `CASE WHEN deal.owner_id IS NULL THEN ${may(null)}
      WHEN deal.owner_id = ${params.add(viewer.userId)}::uuid THEN ${may(viewer.userId)} ELSE ${may(`not ${viewer.userId}`)} END`,
    otherwise: (deal) => refusal(() => assertCanWriteOwned(viewer, deal.ownerId, 'deal'))
      ?? new ForbiddenError('The write was refused'), // unreachable: the SQL asks the same rule
  };
}

/** A rule decided before the statement (an input's form, say), reported in its place among the others. */
export function decided(answer: DomainError | typeof UNCHANGED | undefined): DealCheck {
  return { holds: () => String(answer === undefined), otherwise: () => answer! };
}

/** A condition on the locked `deal` and its `target` stage; when it fails, `otherwise`. */
export function when(sql: string, otherwise: () => DomainError | typeof UNCHANGED): DealCheck {
  return { holds: () => sql, otherwise };
}

/**
 * That an edit (`set`: values the client gave, never NOW) changes a field of the locked deal. An
 * edit to the values the deal already has is no change: it writes nothing (no version, event or
 * history) and answers the deal as it is, as a move into the deal's own stage does.
 */
export function changesAField(em: EntityManager, set: Partial<Record<keyof Deal, unknown>>): DealCheck {
  return {
    holds: (params) => columnValues(em, params, set).map(({ column, value }) => `deal.${column} IS DISTINCT FROM ${value}`).join(' OR '),
    otherwise: () => UNCHANGED,
  };
}

/**
 * The stage `stageId` as the target of a write, and the check that it is one of the deal's
 * pipeline: a malformed id is bad input, a stage of another pipeline too, an unknown one NOT_FOUND.
 */
export function stageById(stageId: string): { target: (params: SqlParams) => string; check: DealCheck } {
  let id: string | null = null;
  const malformed = refusal(() => { id = parseId(stageId, 'stage', 'stageId'); });
  return {
    target: (params) => `SELECT s.* FROM stages s, deal
      WHERE s.id = ${params.add(id)}::uuid AND s.pipeline_id = deal.pipeline_id AND s.workspace_id = deal.workspace_id`,
    check: {
      holds: () => 'target.id IS NOT NULL',
      otherwise: (deal: Deal, em: EntityManager) => malformed ?? stageNotInPipeline(em, deal.workspaceId, id!, stageId, 'stageId'),
    },
  };
}

/**
 * Why a well-formed stage id is not one of the pipeline's: a stage of another pipeline is bad
 * input (`field`: the argument as the client wrote it), an unknown one NOT_FOUND.
 */
export async function stageNotInPipeline(em: EntityManager, workspaceId: string, id: string, shownId: string, field: string): Promise<DomainError> {
  const [elsewhere] = await em.query('SELECT 1 FROM stages WHERE id = $1 AND workspace_id = $2', [id, workspaceId]);
  return elsewhere ? new BadInputError('The stage belongs to another pipeline', field) : new NotFoundError('stage', shownId);
}

/** The target stage of the given kind of the deal's pipeline (its WON or LOST stage). */
export function stageOfKind(kind: 'WON' | 'LOST') {
  return () => `SELECT s.* FROM stages s, deal
    WHERE s.pipeline_id = deal.pipeline_id AND s.workspace_id = deal.workspace_id AND s.kind = '${kind}'`;
}

/**
 * The target OPEN stage of the deal's pipeline it was last in, else the first one. It reads the
 * deal's history: lock the deal in an earlier statement of the transaction, so that the read
 * sees what every earlier writer of the deal committed.
 */
export function lastOpenStage(): string {
  return `SELECT s.* FROM stages s, deal
    WHERE s.pipeline_id = deal.pipeline_id AND s.workspace_id = deal.workspace_id AND s.kind = 'OPEN'
    ORDER BY s.id = (SELECT sc.to_stage_id FROM stage_changes sc JOIN stages o ON o.id = sc.to_stage_id
                     WHERE sc.deal_id = deal.id AND o.kind = 'OPEN' ORDER BY sc.changed_at DESC, sc.id DESC LIMIT 1) DESC NULLS LAST,
      s.position
    LIMIT 1`;
}
