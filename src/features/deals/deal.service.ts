import { EntityManager } from 'typeorm';
import { BadInputError, NotFoundError } from '../../infra/errors/domain-errors';
import { parseId } from '../../infra/db/ids';
import { hydrate, hydrateAll } from '../../infra/db/rows';
import { optionalDate, optionalText, requireMoney, requireName } from '../../infra/validation';
import { Stage } from '../pipelines/stage.entity';
import { StageKind } from '../pipelines/stage-kind';
import { assertCanWriteOwned, defaultOwner } from '../workspaces/access';
import { resolveUserId } from '../workspaces/users';
import { Viewer } from '../workspaces/viewer';
import { Deal } from './deal.entity';
import { DealEventType, DealStatus } from './deal.enums';
import { CreateDealInput, UpdateDealInput } from './deal.inputs';
import { DealChange, NOW, appendEvent, appendStageChange, applyDealChange, lockDeal, lockDealIfLive } from './deal.ledger';

const MAX_REASON_LENGTH = 500;

/** The rules of deals: creation, edits, stage moves, wins, losses, reopenings, deletion. */
export class DealService {
  /** `ownerUserId`, when given, is the owner's internal key (a converted lead passes its owner on). */
  async create(em: EntityManager, viewer: Viewer, input: CreateDealInput, ownerUserId?: string): Promise<Deal> {
    assertCanWriteOwned(viewer, null, 'deal'); // a role that may not write learns nothing of the ids it sends
    const stages = await this.stagesOf(em, viewer, parseId(input.pipelineId, 'pipeline'), input.pipelineId);
    const stage = input.stageId
      ? await this.stageOfPipeline(em, viewer, stages, input.stageId)
      : stages.find((s) => s.kind === StageKind.OPEN)!;
    if (stage.kind !== StageKind.OPEN) throw new BadInputError('A new deal starts in an OPEN stage', 'stageId');
    const ownerId = ownerUserId
      ?? (input.ownerId === undefined ? defaultOwner(viewer) : await resolveUserId(em, viewer, input.ownerId));
    assertCanWriteOwned(viewer, ownerId ?? null, 'deal');
    const leadId = input.leadId ? await this.unconvertedLead(em, viewer, input.leadId) : null;
    const [row] = await em.query(
      `WITH clock AS (SELECT clock_timestamp() AS now)
       INSERT INTO deals (workspace_id, title, value, pipeline_id, stage_id, owner_id, lead_id, expected_close_date,
         created_at, updated_at, stage_entered_at)
       SELECT $1, $2, $3, $4, $5, $6, $7, $8, now, now, now FROM clock RETURNING *`,
      [viewer.workspaceId, requireName(input.title, 'title'), requireMoney(input.value, 'value'), stage.pipelineId, stage.id,
        ownerId ?? null, leadId, optionalDate(input.expectedCloseDate, 'expectedCloseDate') ?? null],
    );
    const deal = hydrate(em, Deal, row);
    await appendStageChange(em, viewer, deal.id, null, stage.id);
    await appendEvent(em, viewer, deal, DealEventType.CREATED, leadId ? { leadId } : {}, null);
    return deal;
  }

  async update(em: EntityManager, viewer: Viewer, id: string, input: UpdateDealInput, expectedVersion?: number | null): Promise<Deal> {
    const deal = await this.lockForWrite(em, viewer, id, expectedVersion);
    const set: DealChange['set'] = {};
    if (input.title !== undefined && input.title !== null) set.title = requireName(input.title, 'title');
    if (input.value !== undefined && input.value !== null) set.value = requireMoney(input.value, 'value');
    if (input.expectedCloseDate !== undefined) set.expectedCloseDate = optionalDate(input.expectedCloseDate, 'expectedCloseDate');
    if (input.ownerId !== undefined) {
      set.ownerId = await resolveUserId(em, viewer, input.ownerId);
      assertCanWriteOwned(viewer, set.ownerId as string | null, 'deal');
    }
    if (Object.keys(set).length === 0) return deal;
    return applyDealChange(em, viewer, deal, { type: DealEventType.UPDATED, set, payload: { fields: Object.keys(set) } });
  }

  /** Into an OPEN stage (reopening a closed deal) or the WON stage; LOST needs `lose` and a reason. */
  async move(em: EntityManager, viewer: Viewer, id: string, stageId: string, expectedVersion?: number | null): Promise<Deal> {
    const deal = await this.lockForWrite(em, viewer, id, expectedVersion);
    const stages = await this.stagesOf(em, viewer, deal.pipelineId, deal.pipelineId);
    const target = await this.stageOfPipeline(em, viewer, stages, stageId);
    if (target.id === deal.stageId) return deal;
    if (target.kind === StageKind.LOST) throw new BadInputError('Losing a deal needs a reason: use loseDeal', 'stageId');
    if (target.kind === StageKind.WON) return applyDealChange(em, viewer, deal, this.winning(target));
    return applyDealChange(em, viewer, deal, deal.status === DealStatus.OPEN
      ? { type: DealEventType.MOVED, set: {}, enterStage: target.id }
      : this.reopening(target));
  }

  async win(em: EntityManager, viewer: Viewer, id: string, expectedVersion?: number | null): Promise<Deal> {
    const deal = await this.lockForWrite(em, viewer, id, expectedVersion);
    if (deal.status === DealStatus.WON) throw new BadInputError('The deal is already won');
    const stages = await this.stagesOf(em, viewer, deal.pipelineId, deal.pipelineId);
    return applyDealChange(em, viewer, deal, this.winning(stages.find((s) => s.kind === StageKind.WON)!));
  }

  async lose(em: EntityManager, viewer: Viewer, id: string, reason: string, expectedVersion?: number | null): Promise<Deal> {
    const lostReason = optionalText(reason, 'reason', MAX_REASON_LENGTH);
    if (!lostReason) throw new BadInputError('A lost deal needs a reason', 'reason');
    const deal = await this.lockForWrite(em, viewer, id, expectedVersion);
    if (deal.status === DealStatus.LOST) throw new BadInputError('The deal is already lost');
    const stages = await this.stagesOf(em, viewer, deal.pipelineId, deal.pipelineId);
    return applyDealChange(em, viewer, deal, {
      type: DealEventType.LOST,
      set: { status: DealStatus.LOST, closedAt: NOW, lostReason },
      enterStage: stages.find((s) => s.kind === StageKind.LOST)!.id,
      payload: { reason: lostReason },
    });
  }

  /** Back to `stageId`, or else to the last OPEN stage the deal was in. */
  async reopen(em: EntityManager, viewer: Viewer, id: string, stageId?: string | null, expectedVersion?: number | null): Promise<Deal> {
    const deal = await this.lockForWrite(em, viewer, id, expectedVersion);
    if (deal.status === DealStatus.OPEN) throw new BadInputError('The deal is open already');
    const stages = await this.stagesOf(em, viewer, deal.pipelineId, deal.pipelineId);
    let target: Stage;
    if (stageId) {
      target = await this.stageOfPipeline(em, viewer, stages, stageId);
      if (target.kind !== StageKind.OPEN) throw new BadInputError('A deal reopens into an OPEN stage', 'stageId');
    } else {
      const [last] = await em.query(
        `SELECT sc.to_stage_id FROM stage_changes sc JOIN stages s ON s.id = sc.to_stage_id
         WHERE sc.deal_id = $1 AND s.kind = 'OPEN' ORDER BY sc.changed_at DESC, sc.id DESC LIMIT 1`,
        [deal.id],
      );
      target = stages.find((s) => s.id === last?.to_stage_id) ?? stages.find((s) => s.kind === StageKind.OPEN)!;
    }
    return applyDealChange(em, viewer, deal, this.reopening(target));
  }

  async delete(em: EntityManager, viewer: Viewer, id: string, expectedVersion?: number | null): Promise<boolean> {
    const deal = await this.lockForWrite(em, viewer, id, expectedVersion);
    await applyDealChange(em, viewer, deal, { type: DealEventType.DELETED, set: { deletedAt: NOW } });
    return true;
  }

  /**
   * An activity was logged or completed: `lastActivityAt` follows the deal's activities. A
   * deleted deal is left alone: its open tasks can still be ticked off.
   */
  async activityChanged(em: EntityManager, viewer: Viewer, dealId: string): Promise<void> {
    const deal = await lockDealIfLive(em, viewer, dealId);
    if (!deal) return;
    const [{ latest }] = await em.query(
      'SELECT max(COALESCE(done_at, created_at)) AS latest FROM activities WHERE deal_id = $1', [dealId]);
    await applyDealChange(em, viewer, deal, { type: DealEventType.UPDATED, set: { lastActivityAt: latest }, payload: { fields: ['lastActivityAt'] } });
  }

  private winning(wonStage: Stage): DealChange {
    return { type: DealEventType.WON, set: { status: DealStatus.WON, closedAt: NOW, lostReason: null }, enterStage: wonStage.id };
  }

  private reopening(openStage: Stage): DealChange {
    return { type: DealEventType.REOPENED, set: { status: DealStatus.OPEN, closedAt: null, lostReason: null }, enterStage: openStage.id };
  }

  private async lockForWrite(em: EntityManager, viewer: Viewer, id: string, expectedVersion?: number | null) {
    const deal = await lockDeal(em, viewer, parseId(id, 'deal'), expectedVersion);
    assertCanWriteOwned(viewer, deal.ownerId, 'deal');
    return deal;
  }

  private async stagesOf(em: EntityManager, viewer: Viewer, pipelineId: string, shownId: string): Promise<Stage[]> {
    const rows = await em.query('SELECT * FROM stages WHERE pipeline_id = $1 AND workspace_id = $2 ORDER BY position', [pipelineId, viewer.workspaceId]);
    if (rows.length === 0) throw new NotFoundError('pipeline', shownId);
    return hydrateAll(em, Stage, rows);
  }

  /** The stage `stageId` of a pipeline; one of another pipeline is bad input, an unknown one NOT_FOUND. */
  private async stageOfPipeline(em: EntityManager, viewer: Viewer, stages: Stage[], stageId: string): Promise<Stage> {
    const id = parseId(stageId, 'stage');
    const stage = stages.find((s) => s.id === id);
    if (stage) return stage;
    const [elsewhere] = await em.query('SELECT 1 FROM stages WHERE id = $1 AND workspace_id = $2', [id, viewer.workspaceId]);
    if (elsewhere) throw new BadInputError('The stage belongs to another pipeline', 'stageId');
    throw new NotFoundError('stage', stageId);
  }

  private async unconvertedLead(em: EntityManager, viewer: Viewer, leadId: string): Promise<string> {
    const id = parseId(leadId, 'lead');
    // Locked, so that two requests making a deal of one lead queue up and the second sees the first's deal.
    const [lead] = await em.query('SELECT id, owner_id FROM leads WHERE id = $1 AND workspace_id = $2 FOR UPDATE', [id, viewer.workspaceId]);
    if (!lead) throw new NotFoundError('lead', leadId);
    // Taking a lead into a deal uses it up (it cannot be converted again): a write to the lead.
    assertCanWriteOwned(viewer, lead.owner_id, 'lead');
    const [taken] = await em.query('SELECT 1 FROM deals WHERE lead_id = $1', [id]);
    if (taken) throw new BadInputError('The lead already has a deal', 'leadId');
    return id;
  }
}
