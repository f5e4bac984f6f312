import { EntityManager } from 'typeorm';
import { BadInputError, DomainError, NotFoundError } from '../../infra/errors/domain-errors';
import { parseId } from '../../infra/db/ids';
import { inTransaction } from '../../infra/db/in-transaction';
import { hydrate, hydrateAll } from '../../infra/db/rows';
import { optionalDate, optionalText, requireMoney, requireName } from '../../infra/validation';
import { Stage } from '../pipelines/stage.entity';
import { StageKind } from '../pipelines/stage-kind';
import { assertCanWriteOwned, defaultOwner } from '../workspaces/access';
import { ownerFoundInStatement, resolveUserId } from '../workspaces/users';
import { Viewer } from '../workspaces/viewer';
import { Deal } from './deal.entity';
import { DealEventType } from './deal.enums';
import { CreateDealInput, UpdateDealInput } from './deal.inputs';
import { changesAField, decided, lastOpenStage, stageById, stageNotInPipeline, stageOfKind, userWrite, when } from './deal.checks';
import { createInOneStatement } from './deal.creation';
import { DealChange, DealCheck, DealWritten, NOW, UNCHANGED, lockDealIfLive, newDealCtes, writeDeal } from './deal.ledger';

type DealFieldChange = Extract<DealChange, { set: unknown }>;

const MAX_REASON_LENGTH = 500;

/** The rules of deals: creation, edits, stage moves, wins, losses, reopenings, deletion. */
export class DealService {
  /**
   * A new deal: without a lead, one statement writes it (`createInOneStatement`); when that
   * writes nothing, and for a conversion (the lead is locked first, so in a transaction), the
   * checks below run in order and say why, or write it. `ownerUserId`, when given, is the
   * owner's internal key (a converted lead passes its owner on).
   */
  async create(em: EntityManager, viewer: Viewer, input: CreateDealInput, ownerUserId?: string): Promise<DealWritten> {
    assertCanWriteOwned(viewer, null, 'deal'); // a role that may not write learns nothing of the ids it sends
    const written = !input.leadId && ownerUserId === undefined ? await createInOneStatement(em, viewer, input) : null;
    if (written) return written;
    return inTransaction(em, (tx) => this.createChecked(tx, viewer, input, ownerUserId));
  }

  private async createChecked(em: EntityManager, viewer: Viewer, input: CreateDealInput, ownerUserId?: string): Promise<DealWritten> {
    const stages = await this.stagesOf(em, viewer, parseId(input.pipelineId, 'pipeline', 'input.pipelineId'), input.pipelineId);
    const stage = input.stageId
      ? await this.stageOfPipeline(em, viewer, stages, input.stageId)
      : stages.find((s) => s.kind === StageKind.OPEN)!;
    if (stage.kind !== StageKind.OPEN) throw new BadInputError('A new deal starts in an OPEN stage', 'input.stageId');
    const ownerId = ownerUserId
      ?? (input.ownerId === undefined ? defaultOwner(viewer) : await resolveUserId(em, viewer, input.ownerId));
    assertCanWriteOwned(viewer, ownerId ?? null, 'deal');
    const leadId = input.leadId ? await this.unconvertedLead(em, viewer, input.leadId) : null;
    // The deal, its first history entry and its CREATED event: one statement.
    const [row] = await em.query(
      `WITH clock AS (SELECT clock_timestamp() AS now),
       ${newDealCtes(['$1', '$2', '$3', '$4', '$5', '$6', '$7', '$8'], 'clock', '$10::jsonb', '$9').join(',\n')}
       SELECT * FROM created`,
      [viewer.workspaceId, requireName(input.title, 'input.title'), requireMoney(input.value, 'input.value'), stage.pipelineId, stage.id,
        ownerId ?? null, leadId, optionalDate(input.expectedCloseDate, 'input.expectedCloseDate') ?? null, viewer.userId, leadId ? { leadId } : {}],
    );
    return { deal: hydrate(em, Deal, row), stage, owner: null };
  }

  async update(em: EntityManager, viewer: Viewer, id: string, input: UpdateDealInput, expectedVersion?: number | null): Promise<DealWritten> {
    const dealId = parseId(id, 'deal', 'id');
    const set: DealFieldChange['set'] = {};
    // Bad input is reported after the deal's own checks, as if found on the locked deal.
    let refused: DomainError | undefined;
    let ownerExists: DealCheck | undefined;
    try {
      if (input.title !== undefined && input.title !== null) set.title = requireName(input.title, 'input.title');
      if (input.value !== undefined && input.value !== null) set.value = requireMoney(input.value, 'input.value');
      if (input.expectedCloseDate !== undefined) set.expectedCloseDate = optionalDate(input.expectedCloseDate, 'input.expectedCloseDate');
      if (input.ownerId !== undefined) {
        const found = ownerFoundInStatement(viewer, input.ownerId);
        if (found) {
          set.ownerId = found;
          // Checked last, where the look-up's refusal came before: after the deal's own checks and the input's form.
          ownerExists = { holds: (params) => `${found.sql(params)} IS NOT NULL`, otherwise: () => new NotFoundError('user', input.ownerId!) };
        } else {
          set.ownerId = await resolveUserId(em, viewer, input.ownerId);
          assertCanWriteOwned(viewer, set.ownerId as string | null, 'deal');
        }
      }
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      refused = err;
    }
    const nothingToDo = Object.keys(set).length === 0 ? UNCHANGED : undefined;
    const checks = [...userWrite(viewer, expectedVersion), decided(refused ?? nothingToDo), ...(ownerExists ? [ownerExists] : []),
      ...(nothingToDo ? [] : [changesAField(em, set)])];
    return writeDeal(em, viewer, dealId, checks, { set, type: DealEventType.UPDATED, payload: { fields: Object.keys(set) } });
  }

  /** Into an OPEN stage (reopening a closed deal) or the WON stage; LOST needs `lose` and a reason. */
  async move(em: EntityManager, viewer: Viewer, id: string, stageId: string, expectedVersion?: number | null): Promise<DealWritten> {
    const stage = stageById(stageId);
    return writeDeal(em, viewer, parseId(id, 'deal', 'id'), [
      ...userWrite(viewer, expectedVersion),
      stage.check,
      when('target.id <> deal.stage_id', () => UNCHANGED),
      when("target.kind <> 'LOST'", () => new BadInputError('Losing a deal needs a reason: use loseDeal', 'stageId')),
    ], { target: stage.target });
  }

  async win(em: EntityManager, viewer: Viewer, id: string, expectedVersion?: number | null): Promise<DealWritten> {
    return writeDeal(em, viewer, parseId(id, 'deal', 'id'), [
      ...userWrite(viewer, expectedVersion),
      when("deal.status <> 'WON'", () => new BadInputError('The deal is already won', 'id')),
    ], { target: stageOfKind('WON') });
  }

  async lose(em: EntityManager, viewer: Viewer, id: string, reason: string, expectedVersion?: number | null): Promise<DealWritten> {
    const lostReason = optionalText(reason, 'reason', MAX_REASON_LENGTH);
    if (!lostReason) throw new BadInputError('A lost deal needs a reason', 'reason');
    return writeDeal(em, viewer, parseId(id, 'deal', 'id'), [
      ...userWrite(viewer, expectedVersion),
      when("deal.status <> 'LOST'", () => new BadInputError('The deal is already lost', 'id')),
    ], { target: stageOfKind('LOST'), lostReason });
  }

  /**
   * Back to `stageId`, or else to the last OPEN stage the deal was in. Without `stageId` it reads
   * the deal's history, so the deal is locked first (a statement reads with the snapshot it
   * started with): run it in a transaction.
   */
  async reopen(em: EntityManager, viewer: Viewer, id: string, stageId?: string | null, expectedVersion?: number | null): Promise<DealWritten> {
    const dealId = parseId(id, 'deal', 'id');
    const checks = [...userWrite(viewer, expectedVersion), when("deal.status <> 'OPEN'", () => new BadInputError('The deal is open already', 'id'))];
    if (stageId) {
      const stage = stageById(stageId);
      return writeDeal(em, viewer, dealId, [
        ...checks, stage.check,
        when("target.kind = 'OPEN'", () => new BadInputError('A deal reopens into an OPEN stage', 'stageId')),
      ], { target: stage.target });
    }
    await lockDealIfLive(em, viewer, dealId);
    return writeDeal(em, viewer, dealId, checks, { target: lastOpenStage });
  }

  async delete(em: EntityManager, viewer: Viewer, id: string, expectedVersion?: number | null): Promise<boolean> {
    await writeDeal(em, viewer, parseId(id, 'deal', 'id'), userWrite(viewer, expectedVersion),
      { set: { deletedAt: NOW }, type: DealEventType.DELETED });
    return true;
  }

  /**
   * An activity was logged or completed: `lastActivityAt` follows the deal's activities. A
   * deleted deal is left alone: its open tasks can still be ticked off. Locked first, so that
   * the latest activity is read after every earlier writer of the deal has committed.
   */
  async activityChanged(em: EntityManager, viewer: Viewer, dealId: string): Promise<void> {
    if (!(await lockDealIfLive(em, viewer, dealId))) return;
    const [{ latest }] = await em.query(
      'SELECT max(COALESCE(done_at, created_at)) AS latest FROM activities WHERE deal_id = $1', [dealId]);
    await writeDeal(em, viewer, dealId, [],
      { set: { lastActivityAt: latest }, type: DealEventType.UPDATED, payload: { fields: ['lastActivityAt'] } });
  }

  private async stagesOf(em: EntityManager, viewer: Viewer, pipelineId: string, shownId: string): Promise<Stage[]> {
    const rows = await em.query('SELECT * FROM stages WHERE pipeline_id = $1 AND workspace_id = $2 ORDER BY position', [pipelineId, viewer.workspaceId]);
    if (rows.length === 0) throw new NotFoundError('pipeline', shownId);
    return hydrateAll(em, Stage, rows);
  }

  /** The stage `stageId` of a pipeline, given its stages. */
  private async stageOfPipeline(em: EntityManager, viewer: Viewer, stages: Stage[], stageId: string): Promise<Stage> {
    const id = parseId(stageId, 'stage', 'input.stageId');
    const stage = stages.find((s) => s.id === id);
    if (stage) return stage;
    throw await stageNotInPipeline(em, viewer.workspaceId, id, stageId, 'input.stageId');
  }

  private async unconvertedLead(em: EntityManager, viewer: Viewer, leadId: string): Promise<string> {
    const id = parseId(leadId, 'lead', 'input.leadId');
    // Locked, so that two requests making a deal of one lead queue up and the second sees the first's deal.
    const [lead] = await em.query('SELECT id, owner_id FROM leads WHERE id = $1 AND workspace_id = $2 FOR UPDATE', [id, viewer.workspaceId]);
    if (!lead) throw new NotFoundError('lead', leadId);
    // Taking a lead into a deal uses it up (it cannot be converted again): a write to the lead.
    assertCanWriteOwned(viewer, lead.owner_id, 'lead');
    const [taken] = await em.query('SELECT 1 FROM deals WHERE lead_id = $1', [id]);
    if (taken) throw new BadInputError('The lead already has a deal', 'input.leadId');
    return id;
  }
}
