import { EntityManager } from 'typeorm';
import { hydrate, queryRows } from '../../infra/db/rows';
import { BadInputError, NotFoundError } from '../../infra/errors/domain-errors';
import { DealEventType } from '../deals/deal.enums';
import { assertAdmin } from '../workspaces/access';
import { Viewer } from '../workspaces/viewer';
import { assertReplayable, oldestSeq } from '../realtime/log/retention';
import { CreateWebhookInput, UpdateWebhookInput } from './webhook.inputs';
import { Webhook } from './webhook.entity';
import { checkWebhookUrl } from './webhook-url';
import { queueReplay } from './webhook-queue';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const HEAD_SEQ = '(SELECT coalesce(max(seq), 0) FROM deal_events)';
/** Every column; node-postgres parses arrays of built-in types only, so the enum array comes as text[]. */
const COLUMNS = 'id, workspace_id, url, secret, active, event_types::text[] AS event_types, pipeline_ids, from_seq, until_seq, '
  + 'last_delivered_seq, failing_since, created_at';

/** Webhook management, ADMIN only: endpoints, their filters and replays. Delivery is WebhookWorker's. */
export class WebhookService {
  constructor(private readonly allowPrivate: boolean) {}

  async list(em: EntityManager, viewer: Viewer): Promise<Webhook[]> {
    assertAdmin(viewer);
    const rows = await em.query(`SELECT ${COLUMNS} FROM webhooks WHERE workspace_id = $1 ORDER BY created_at, id`,
      [viewer.workspaceId]);
    return rows.map((row: Record<string, unknown>) => hydrate(em, Webhook, row));
  }

  async get(em: EntityManager, viewer: Viewer, id: string, field = 'id', lock = ''): Promise<Webhook> {
    assertAdmin(viewer);
    if (!UUID.test(id)) throw new BadInputError(`"${id}" is not a valid webhook id`, field);
    const [row] = await em.query(`SELECT ${COLUMNS} FROM webhooks WHERE id = $1 AND workspace_id = $2 ${lock}`,
      [id, viewer.workspaceId]);
    if (!row) throw new NotFoundError('webhook', id);
    return hydrate(em, Webhook, row);
  }

  /** A new webhook and its secret; it is sent the events that happen from now on. */
  async create(em: EntityManager, viewer: Viewer, input: CreateWebhookInput): Promise<{ webhook: Webhook; secret: string }> {
    assertAdmin(viewer);
    const url = await checkWebhookUrl(input.url, this.allowPrivate, 'input.url');
    const eventTypes = eventTypesOf(input.eventTypes);
    const pipelineIds = await this.pipelinesOf(em, viewer, input.pipelineIds);
    // Drawn by the database (two random UUIDs: 244 random bits), so the secret is never a statement
    // parameter, which a failed statement's error, logged in full, would show.
    const [row] = await em.query(
      `INSERT INTO webhooks (workspace_id, url, secret, event_types, pipeline_ids, from_seq)
       VALUES ($1, $2, 'whsec_' || replace(gen_random_uuid()::text || gen_random_uuid()::text, '-', ''), $3, $4, ${HEAD_SEQ})
       RETURNING ${COLUMNS}`,
      [viewer.workspaceId, url, eventTypes, pipelineIds],
    );
    const webhook = hydrate(em, Webhook, row);
    return { webhook, secret: webhook.secret };
  }

  /**
   * Changes what is given. Deactivating marks the last event it may still be sent;
   * reactivating starts after the events that happened meanwhile.
   */
  async update(em: EntityManager, viewer: Viewer, id: string, input: UpdateWebhookInput): Promise<Webhook> {
    const current = await this.get(em, viewer, id, 'id', 'FOR UPDATE');
    const url = input.url == null ? current.url : await checkWebhookUrl(input.url, this.allowPrivate, 'input.url');
    const eventTypes = input.eventTypes === undefined ? current.eventTypes : eventTypesOf(input.eventTypes);
    const pipelineIds = input.pipelineIds === undefined
      ? current.pipelineIds : await this.pipelinesOf(em, viewer, input.pipelineIds);
    const active = input.active ?? current.active;
    const rows = await queryRows(em,
      `UPDATE webhooks SET url = $3, event_types = $4, pipeline_ids = $5, active = $6,
         until_seq = CASE WHEN $6 THEN NULL WHEN active THEN ${HEAD_SEQ} ELSE until_seq END,
         from_seq = CASE WHEN $6 AND NOT active THEN ${HEAD_SEQ} ELSE from_seq END
       WHERE id = $1 AND workspace_id = $2 RETURNING ${COLUMNS}`,
      [current.id, viewer.workspaceId, url, eventTypes, pipelineIds, active]);
    return hydrate(em, Webhook, rows[0]);
  }

  async delete(em: EntityManager, viewer: Viewer, id: string): Promise<boolean> {
    const webhook = await this.get(em, viewer, id);
    await em.query('DELETE FROM webhooks WHERE id = $1 AND workspace_id = $2', [webhook.id, viewer.workspaceId]);
    return true;
  }

  /** Queues every matching event after `after` again, behind what is pending, with new delivery ids. */
  async replay(em: EntityManager, viewer: Viewer, id: string, after: string): Promise<Webhook> {
    const webhook = await this.get(em, viewer, id);
    if (!/^\d{1,19}$/.test(after)) {
      throw new BadInputError('after must be a seq: a non-negative integer as a string', 'after');
    }
    const run = (sql: string, params?: unknown[]) => em.query(sql, params);
    assertReplayable(BigInt(after), await oldestSeq(run));
    await queueReplay(run, webhook.id, after);
    return webhook;
  }

  /** The pipeline filter as given, every id checked to be a pipeline of the workspace. */
  private async pipelinesOf(
    em: EntityManager, viewer: Viewer, ids: readonly string[] | null | undefined,
  ): Promise<string[] | null> {
    if (ids == null) return null;
    if (ids.length === 0) {
      throw new BadInputError('pipelineIds must name a pipeline; leave it out for every pipeline', 'input.pipelineIds');
    }
    const unique = [...new Set(ids.map((id) => id.toLowerCase()))];
    const malformed = unique.find((id) => !UUID.test(id));
    if (malformed) throw new BadInputError(`"${malformed}" is not a valid pipeline id`, 'input.pipelineIds');
    const found: { id: string }[] = await em.query(
      'SELECT id FROM pipelines WHERE id = ANY($1::uuid[]) AND workspace_id = $2', [unique, viewer.workspaceId]);
    const missing = unique.find((id) => !found.some((row) => row.id === id));
    if (missing) throw new NotFoundError('pipeline', missing);
    return unique;
  }
}

function eventTypesOf(types: readonly DealEventType[] | null | undefined): DealEventType[] | null {
  if (types == null) return null;
  if (types.length === 0) {
    throw new BadInputError('eventTypes must name a type; leave it out for every type', 'input.eventTypes');
  }
  return [...new Set(types)];
}
