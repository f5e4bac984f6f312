import { GraphQLResolveInfo } from 'graphql';
import { Arg, Ctx, FieldResolver, ID, Info, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../../context';
import { parseId } from '../../infra/db/ids';
import { NotFoundError } from '../../infra/errors/domain-errors';
import { Selection } from '../../infra/graphql/selection';
import { connectionTypes } from '../../infra/pagination/connection.types';
import { Activity } from '../activities/activity.entity';
import { Deal } from '../deals/deal.entity';
import { User } from '../workspaces/user.entity';
import { Lead } from './lead.entity';
import { LeadStatus } from './lead.enums';
import { ConvertLeadInput, CreateLeadInput, LeadFilter, UpdateLeadInput } from './lead.inputs';

export const { Edge: LeadEdge, Connection: LeadConnection } = connectionTypes(Lead, 'Lead');

@Resolver(() => Lead)
export class LeadResolver {
  @Query(() => Lead, { nullable: true, description: 'A lead by id; NOT_FOUND when there is none in this workspace.' })
  async lead(@Arg('id', () => ID) id: string, @Ctx() ctx: Context): Promise<Lead> {
    const lead = await ctx.loaders.lead.load(parseId(id, 'lead', 'id'));
    if (!lead) throw new NotFoundError('lead', id);
    return lead;
  }

  @Query(() => LeadConnection, { description: 'Leads of the workspace, oldest first, filtered and paged.' })
  leads(
    @Arg('filter', () => LeadFilter, { nullable: true, description: 'Only leads that meet every condition.' }) filter: LeadFilter | null,
    @Arg('first', () => Int, { nullable: true, description: 'Page size, 0 to 500; default 50.' }) first: number | null,
    @Arg('after', () => String, { nullable: true, description: 'Cursor of the item after which the page starts.' }) after: string | null,
    @Ctx() ctx: Context,
    @Info() info: GraphQLResolveInfo,
  ) {
    return ctx.services.leads.list(ctx.db, ctx.viewer, filter, first, after, Selection.of(info).has('totalCount'));
  }

  @Mutation(() => Lead, { description: 'Creates a lead with status NEW.' })
  createLead(@Arg('input') input: CreateLeadInput, @Ctx() ctx: Context): Promise<Lead> {
    // One INSERT (after looking up a named owner): its own transaction.
    return ctx.writeOne((em) => ctx.services.leads.create(em, ctx.viewer, input));
  }

  @Mutation(() => Lead, { description: 'Changes a lead.' })
  updateLead(@Arg('id', () => ID) id: string, @Arg('input') input: UpdateLeadInput, @Ctx() ctx: Context): Promise<Lead> {
    // One UPDATE when it can (a new owner is looked up first): its own transaction.
    return ctx.writeOne((em) => ctx.services.leads.update(em, ctx.viewer, id, input));
  }

  @Mutation(() => Lead, {
    description: 'Sets the status to NURTURING, MQL, SQL or DISQUALIFIED; MQL and SQL record qualifiedAt / salesQualifiedAt the first time.',
  })
  qualifyLead(@Arg('id', () => ID) id: string, @Arg('status', () => LeadStatus) status: LeadStatus, @Ctx() ctx: Context): Promise<Lead> {
    return ctx.writeOne((em) => ctx.services.leads.qualify(em, ctx.viewer, id, status));
  }

  @Mutation(() => Deal, { description: "Creates the lead's deal in the pipeline's first OPEN stage and marks the lead CONVERTED." })
  async convertLead(@Arg('id', () => ID) id: string, @Arg('input') input: ConvertLeadInput, @Ctx() ctx: Context): Promise<Deal> {
    // One statement when it can (a named owner is looked up first): its own transaction.
    const { deal, stage, owner, lead } = await ctx.writeOne((em) => ctx.services.leads.convert(em, ctx.viewer, id, input));
    ctx.loaders.stage.prime(stage.id, stage);
    if (owner) ctx.loaders.user.prime(owner.id, owner);
    ctx.loaders.lead.prime(lead.id, lead);
    return deal;
  }

  @FieldResolver(() => User, { nullable: true, description: 'Who owns the lead; null: unowned.' })
  owner(@Root() lead: Lead, @Ctx() ctx: Context): Promise<User | null> | null {
    return lead.ownerId ? ctx.loaders.user.load(lead.ownerId) : null;
  }

  @FieldResolver(() => Deal, { nullable: true, description: 'The deal the lead was converted into.' })
  deal(@Root() lead: Lead, @Ctx() ctx: Context): Promise<Deal | null> {
    return ctx.loaders.dealOfLead.load(lead.id);
  }

  @FieldResolver(() => [Activity], { description: 'Activities on the lead, oldest first.' })
  activities(@Root() lead: Lead, @Ctx() ctx: Context): Promise<Activity[]> {
    return ctx.loaders.activitiesOfLead.load(lead.id);
  }
}
