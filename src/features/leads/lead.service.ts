import { EntityManager } from 'typeorm';
import { SqlParams } from '../../infra/db/sql-params';
import { BadInputError, NotFoundError } from '../../infra/errors/domain-errors';
import { parseId } from '../../infra/db/ids';
import { hydrate } from '../../infra/db/rows';
import { inTransaction } from '../../infra/db/in-transaction';
import { Page } from '../../infra/pagination/connection.types';
import { countPerParent, fetchPages, toPage } from '../../infra/pagination/keyset';
import { optionalText, optionalWholeNumber, requireName } from '../../infra/validation';
import { Deal } from '../deals/deal.entity';
import { DealService } from '../deals/deal.service';
import { assertCanWriteOwned, defaultOwner } from '../workspaces/access';
import { ownerFoundInStatement, resolveUserId } from '../workspaces/users';
import { Viewer } from '../workspaces/viewer';
import { convertInOneStatement, LeadConverted } from './lead.conversion';
import { Lead } from './lead.entity';
import { FIRST_TIME, LeadSet, NOW, saveLead, writeLeadInOneStatement } from './lead.writes';
import { LeadStatus } from './lead.enums';
import { leadListQuery } from './lead.query';
import { ConvertLeadInput, CreateLeadInput, LeadFilter, UpdateLeadInput } from './lead.inputs';

const QUALIFY_TO = new Set([LeadStatus.NURTURING, LeadStatus.MQL, LeadStatus.SQL, LeadStatus.DISQUALIFIED]);
const MAX_SCORE = 1000;

/** Lead generation, nurturing, MQL/SQL qualification and conversion into a deal. */
export class LeadService {
  constructor(private readonly deals: DealService) {}

  async create(em: EntityManager, viewer: Viewer, input: CreateLeadInput): Promise<Lead> {
    assertCanWriteOwned(viewer, null, 'lead'); // a role that may not write learns nothing of the ids it sends
    // An owner the statement can find itself is not looked up first (`ownerFoundInStatement`).
    const found = input.ownerId === undefined ? undefined : ownerFoundInStatement(viewer, input.ownerId);
    const ownerId = found ? undefined : input.ownerId === undefined ? defaultOwner(viewer) : await resolveUserId(em, viewer, input.ownerId);
    if (!found) assertCanWriteOwned(viewer, ownerId ?? null, 'lead');
    const params = new SqlParams();
    const values = [viewer.workspaceId, requireName(input.name, 'input.name'), optionalText(input.company, 'input.company') ?? null,
      optionalText(input.email, 'input.email') ?? null, input.source, optionalText(input.campaign, 'input.campaign') ?? null,
      optionalWholeNumber(input.score, 'input.score', 0, MAX_SCORE) ?? null].map((value) => params.add(value));
    // Typed here: a SELECT's parameters do not take their types from the columns they fill.
    const [workspace, name, company, email, source, campaign, score] = values;
    const typed = [workspace, name, company, email, `${source}::lead_source`, campaign, `${score}::int`];
    const owner = found ? found.sql(params) : `${params.add(ownerId ?? null)}::uuid`;
    const [row] = await em.query(
      `INSERT INTO leads (workspace_id, name, company, email, source, campaign, score, owner_id)
       SELECT ${typed.join(', ')}, owner.id FROM (SELECT ${owner} AS id) owner ${found ? 'WHERE owner.id IS NOT NULL' : ''} RETURNING *`,
      params.values,
    );
    if (!row) throw new NotFoundError('user', input.ownerId!);
    return hydrate(em, Lead, row);
  }

  async update(em: EntityManager, viewer: Viewer, id: string, input: UpdateLeadInput): Promise<Lead> {
    const fields = (): LeadSet => ({
      name: input.name === undefined || input.name === null ? undefined : requireName(input.name, 'input.name'),
      company: optionalText(input.company, 'input.company'),
      email: optionalText(input.email, 'input.email'),
      source: input.source ?? undefined,
      campaign: optionalText(input.campaign, 'input.campaign'),
      score: optionalWholeNumber(input.score, 'input.score', 0, MAX_SCORE),
    });
    // A new owner the statement can find itself keeps the write one statement; any other is
    // looked up and checked first, on the checked path.
    const owner = input.ownerId === undefined ? undefined : ownerFoundInStatement(viewer, input.ownerId);
    const written = input.ownerId === undefined || owner
      ? await writeLeadInOneStatement(em, viewer, id, () => ({ ...fields(), owner_id: owner })) : null;
    if (written) return written;
    return inTransaction(em, async (tx) => {
      const lead = await this.lockForWrite(tx, viewer, id);
      const set = fields();
      if (input.ownerId !== undefined) {
        set.owner_id = await resolveUserId(tx, viewer, input.ownerId);
        assertCanWriteOwned(viewer, set.owner_id as string | null, 'lead');
      }
      return saveLead(tx, lead, set);
    });
  }

  /** Moves a lead along NURTURING → MQL → SQL, or disqualifies it; first qualification times are kept. */
  async qualify(em: EntityManager, viewer: Viewer, id: string, status: LeadStatus): Promise<Lead> {
    if (!QUALIFY_TO.has(status)) throw new BadInputError('A lead is qualified as NURTURING, MQL, SQL or DISQUALIFIED', 'status');
    const reachedMql = status === LeadStatus.MQL || status === LeadStatus.SQL;
    const set: LeadSet = {
      status,
      // An SQL has passed marketing qualification too, so the funnel stays nested.
      qualified_at: reachedMql ? FIRST_TIME : undefined,
      sales_qualified_at: status === LeadStatus.SQL ? FIRST_TIME : undefined,
    };
    const written = await writeLeadInOneStatement(em, viewer, id, () => set, `status <> '${LeadStatus.CONVERTED}'`);
    if (written) return written;
    return inTransaction(em, async (tx) => {
      const lead = await this.lockForWrite(tx, viewer, id);
      if (lead.status === LeadStatus.CONVERTED) throw new BadInputError('The lead is converted already; its deal carries on', 'id');
      return saveLead(tx, lead, set);
    });
  }

  /** Creates the lead's deal in the pipeline's first OPEN stage and marks the lead CONVERTED. */
  async convert(em: EntityManager, viewer: Viewer, id: string, input: ConvertLeadInput): Promise<LeadConverted> {
    const written = await convertInOneStatement(em, viewer, id, input);
    if (written) return written;
    return inTransaction(em, async (tx) => {
      const lead = await this.lockForWrite(tx, viewer, id);
      if (lead.status === LeadStatus.CONVERTED) throw new BadInputError('The lead is converted already', 'id');
      if (lead.status === LeadStatus.DISQUALIFIED) throw new BadInputError('A disqualified lead cannot be converted', 'id');
      const created = await this.deals.create(tx, viewer, {
        pipelineId: input.pipelineId,
        title: input.title,
        value: input.value,
        expectedCloseDate: input.expectedCloseDate,
        leadId: lead.id,
        ...(input.ownerId === undefined ? {} : { ownerId: input.ownerId }),
      }, input.ownerId === undefined ? lead.ownerId ?? undefined : undefined);
      return { ...created, lead: await saveLead(tx, lead, { status: LeadStatus.CONVERTED, converted_at: NOW }) };
    });
  }

  /** A page of leads; `count`: the statement also counts them (the query reads `totalCount`). */
  async list(em: EntityManager, viewer: Viewer, filter: LeadFilter | null | undefined, first?: number | null, after?: string | null,
    count = false): Promise<Page<Lead>> {
    const query = leadListQuery(viewer, filter, first, after);
    const raw = (await fetchPages(em, query, [viewer.workspaceId], count)).get(viewer.workspaceId)!;
    return toPage(raw, (row) => hydrate(em, Lead, row), after,
      async () => (await countPerParent(em, query, [viewer.workspaceId])).get(viewer.workspaceId)!);
  }

  private async lockForWrite(em: EntityManager, viewer: Viewer, id: string): Promise<Lead> {
    const [row] = await em.query('SELECT * FROM leads WHERE id = $1 AND workspace_id = $2 FOR UPDATE', [parseId(id, 'lead', 'id'), viewer.workspaceId]);
    if (!row) throw new NotFoundError('lead', id);
    const lead = hydrate(em, Lead, row);
    assertCanWriteOwned(viewer, lead.ownerId, 'lead');
    return lead;
  }

}
