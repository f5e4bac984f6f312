import { CreatePipelineDocument, CreateDealDocument, CreateDealInput, StageInput } from '../generated/graphql';
import { gql, ok } from '../helpers/graphql';

/** The stages of a typical sales pipeline: `open` OPEN stages, then Won and Lost. */
export function stagesOf(open = 3, rottingAfterDays: number | null = null): StageInput[] {
  const openStages = Array.from({ length: open }, (_, i) => ({
    name: `Stage ${i + 1}`, kind: 'OPEN' as const, probability: Number(((i + 1) / (open + 1)).toFixed(2)), rottingAfterDays,
  }));
  return [...openStages, { name: 'Won', kind: 'WON', probability: 1 }, { name: 'Lost', kind: 'LOST', probability: 0 }];
}

/** Creates a pipeline through the API; returns it with its stages. */
export async function createPipeline(url: string, token: string, open = 3, name = 'Sales') {
  const data = ok(await gql(url, token, CreatePipelineDocument, { input: { name, stages: stagesOf(open) } }));
  return data.createPipeline;
}

export async function createDeal(url: string, token: string, input: CreateDealInput) {
  return ok(await gql(url, token, CreateDealDocument, { input })).createDeal;
}
