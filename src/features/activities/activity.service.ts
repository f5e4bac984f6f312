import { EntityManager } from 'typeorm';
import { BadInputError, NotFoundError } from '../../infra/errors/domain-errors';
import { parseId } from '../../infra/db/ids';
import { inTransaction } from '../../infra/db/in-transaction';
import { hydrate, queryRows } from '../../infra/db/rows';
import { optionalDate, requireName } from '../../infra/validation';
import { DealService } from '../deals/deal.service';
import { assertCanWriteOwned } from '../workspaces/access';
import { Viewer } from '../workspaces/viewer';
import { Activity } from './activity.entity';
import { LogActivityInput } from './activity.inputs';
import { ActivityLogged, completeInOneStatement, logInOneStatement } from './activity.writes';
import { doneAtAllowed } from './done-at';

/** Calls, emails, meetings, tasks and notes; a deal's `lastActivityAt` follows its activities. */
export class ActivityService {
  constructor(private readonly deals: DealService) {}

  /** An activity on a deal in one statement (`logInOneStatement`); otherwise, or when it writes nothing, the checks in order, in a transaction. */
  async log(em: EntityManager, viewer: Viewer, input: LogActivityInput): Promise<ActivityLogged> {
    assertCanWriteOwned(viewer, viewer.userId, 'activity');
    return (await logInOneStatement(em, viewer, input)) ?? inTransaction(em, (tx) => this.logChecked(tx, viewer, input));
  }

  private async logChecked(em: EntityManager, viewer: Viewer, input: LogActivityInput): Promise<ActivityLogged> {
    if (!input.dealId && !input.leadId) throw new BadInputError('An activity belongs to a deal or a lead: give dealId or leadId', 'input.dealId');
    const doneAt = optionalDate(input.doneAt, 'input.doneAt') ?? null;
    if (doneAt && !doneAtAllowed(doneAt)) throw new BadInputError('doneAt lies in the future: set dueAt instead', 'input.doneAt');
    const dealId = input.dealId ? await this.writableParent(em, viewer, 'deals', 'deal', input.dealId) : null;
    const leadId = input.leadId ? await this.writableParent(em, viewer, 'leads', 'lead', input.leadId) : null;
    const [row] = await em.query(
      `INSERT INTO activities (workspace_id, type, subject, due_at, done_at, deal_id, lead_id, owner_id, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, clock_timestamp()) RETURNING *`,
      [viewer.workspaceId, input.type, requireName(input.subject, 'input.subject'), optionalDate(input.dueAt, 'input.dueAt') ?? null,
        doneAt, dealId, leadId, viewer.userId],
    );
    if (dealId) await this.deals.activityChanged(em, viewer, dealId);
    return { activity: hydrate(em, Activity, row), deal: null };
  }

  /** Marks an activity done now, in one statement (`completeInOneStatement`) or by the checks; completing a done activity changes nothing. */
  async complete(em: EntityManager, viewer: Viewer, id: string): Promise<ActivityLogged> {
    return (await completeInOneStatement(em, viewer, id)) ?? inTransaction(em, (tx) => this.completeChecked(tx, viewer, id));
  }

  private async completeChecked(em: EntityManager, viewer: Viewer, id: string): Promise<ActivityLogged> {
    const [current] = await em.query('SELECT * FROM activities WHERE id = $1 AND workspace_id = $2 FOR UPDATE',
      [parseId(id, 'activity', 'id'), viewer.workspaceId]);
    if (!current) throw new NotFoundError('activity', id);
    const activity = hydrate(em, Activity, current);
    assertCanWriteOwned(viewer, activity.ownerId, 'activity');
    if (activity.doneAt) return { activity, deal: null };
    const [row] = await queryRows(em, 'UPDATE activities SET done_at = clock_timestamp() WHERE id = $1 AND workspace_id = $2 RETURNING *',
      [activity.id, viewer.workspaceId]);
    if (activity.dealId) await this.deals.activityChanged(em, viewer, activity.dealId);
    return { activity: hydrate(em, Activity, row), deal: null };
  }

  /**
   * The deal or lead an activity is logged on. Logging moves the deal's lastActivityAt and
   * version, so it is a write to that record: a rep may log only on its own or unowned ones.
   */
  private async writableParent(em: EntityManager, viewer: Viewer, table: 'deals' | 'leads', what: string, id: string): Promise<string> {
    const key = parseId(id, what, `input.${what}Id`);
    const live = table === 'deals' ? 'AND deleted_at IS NULL' : '';
    const [row] = await em.query(`SELECT id, owner_id FROM ${table} WHERE id = $1 AND workspace_id = $2 ${live}`, [key, viewer.workspaceId]);
    if (!row) throw new NotFoundError(what, id);
    assertCanWriteOwned(viewer, row.owner_id, what);
    return key;
  }
}
