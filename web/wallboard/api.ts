/** The wallboard's GraphQL: queries over HTTP, subscriptions over graphql-ws on the same URL. */
import { Client, createClient } from 'graphql-ws';

export const METRIC_FIELDS = `openDealCount openValue weightedOpenValue wonCount lostCount wonValue winRate
  averageDealSize averageSalesCycleDays velocityPerDay computedAt
  stages { stage { id } dealCount value weightedValue stalledCount }`;

/** The biggest open deals of each stage, listed under its figures. */
const TOP_DEALS = 'deals(first: 6, filter: { status: OPEN }, orderBy: [{ field: VALUE, direction: DESC }]) { nodes { id title value isStalled health { reasons } } }';
export const TOP_DEALS_QUERY = `query WallboardDeals($id: ID!) { pipeline(id: $id) { stages { id ${TOP_DEALS} } } }`;
export const PIPELINES = 'query WallboardPipelines { pipelines { id name } }';
/** Read before the board: the live events are followed after it, so none between the load and the subscription is lost. */
export const LAST_EVENT_SEQ = 'query WallboardLastEventSeq { lastEventSeq }';
export const BOARD = `query WallboardBoard($id: ID!) {
  pipeline(id: $id) { id name stages { id name kind position ${TOP_DEALS} } }
  pipelineMetrics(pipelineId: $id) { ${METRIC_FIELDS} } }`;
export const EVENTS = `subscription WallboardEvents($id: ID!, $after: String) {
  dealEvents(pipelineId: $id, after: $after) {
    seq type occurredAt deal { id title value } fromStage { id name } toStage { id name } actor { name } } }`;
export const LIVE_METRICS = `subscription WallboardMetrics($id: ID!) { pipelineMetricsUpdated(pipelineId: $id) { ${METRIC_FIELDS} } }`;

export interface StageMetrics { stage: { id: string }; dealCount: number; value: number; weightedValue: number; stalledCount: number }
export interface Metrics {
  openDealCount: number; openValue: number; weightedOpenValue: number; wonCount: number; lostCount: number; wonValue: number;
  winRate: number | null; averageDealSize: number | null; averageSalesCycleDays: number | null; velocityPerDay: number | null;
  computedAt: string; stages: StageMetrics[];
}
export interface DealCard { id: string; title: string; value: number; isStalled: boolean; health?: { reasons: string[] } }
export interface Stage { id: string; name: string; kind: 'OPEN' | 'WON' | 'LOST'; position: number; deals?: { nodes: DealCard[] } }
export interface DealEvent {
  seq: string; type: string; occurredAt: string; deal: { id: string; title: string; value: number };
  fromStage: { id: string; name: string } | null; toStage: { id: string; name: string } | null; actor: { name: string | null } | null;
}

const httpUrl = new URL('/graphql', location.href).toString();

/** Sends a query over HTTP; throws with the server's message on a GraphQL error. */
export async function query<T>(token: string, document: string, variables: Record<string, unknown> = {}): Promise<T> {
  const response = await fetch(httpUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query: document, variables }),
  });
  const body = await response.json();
  if (body.errors?.length) throw new Error(body.errors[0].message);
  return body.data as T;
}

/**
 * A graphql-ws client that does not retry on its own: the board resubscribes itself after
 * a drop, so that it can pass the last `seq` it saw as `after` and miss nothing.
 */
export function socket(token: string, onState: (connected: boolean) => void): Client {
  const client = createClient({
    url: httpUrl.replace(/^http/, 'ws'),
    connectionParams: { authorization: `Bearer ${token}` },
    lazy: true,
    retryAttempts: 0,
  });
  client.on('connected', () => onState(true));
  client.on('closed', () => onState(false));
  return client;
}
