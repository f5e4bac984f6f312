/**
 * The live wallboard: the board and metrics load over HTTP, then two subscriptions keep
 * them current. The events are followed after the log's seq read before the board loads, so
 * a change committed between the load and the subscription is not missed. After a drop it
 * resubscribes with the last event `seq` it saw as `after`, so the ticker misses nothing and
 * shows nothing twice.
 */
import { BOARD, DealEvent, EVENTS, LAST_EVENT_SEQ, LIVE_METRICS, Metrics, PIPELINES, query, socket, Stage, TOP_DEALS_QUERY } from './api';
import { refreshManager } from './manager';
import { addTicker, renderColumns, renderPicker, renderStatus, renderTiles, renderTitle } from './render';
import { startWaterfall } from './waterfall';
import './wallboard.css';

interface PageConfig { token?: string }

const pageConfig = JSON.parse(document.getElementById('wallboard-config')?.textContent || '{}') as PageConfig;
const hash = new URLSearchParams(location.hash.slice(1));
const token = hash.get('token') ?? pageConfig.token;

let stages: Stage[] = [];
let latest: Metrics | undefined;
let lastSeq: bigint | undefined;
let retryMs = 500;
let refetch: ReturnType<typeof setTimeout> | undefined;
let refreshFlow = () => {};

function showMetrics(metrics: Metrics) {
  latest = metrics;
  renderColumns(stages, metrics);
  renderTiles(metrics);
}

/** The deal lists under the figures, reloaded shortly after movements (a burst costs one query). */
function refreshDeals(pipelineId: string) {
  clearTimeout(refetch);
  refetch = setTimeout(async () => {
    const data = await query<{ pipeline: { stages: Stage[] } | null }>(token!, TOP_DEALS_QUERY, { id: pipelineId }).catch(() => undefined);
    const fresh = new Map(data?.pipeline?.stages.map((s) => [s.id, s.deals]) ?? []);
    stages = stages.map((s) => ({ ...s, deals: fresh.get(s.id) ?? s.deals }));
    if (latest) renderColumns(stages, latest);
  }, 300);
}

function subscribeAll(client: ReturnType<typeof socket>, pipelineId: string) {
  let dropped = false;
  const drop = (reason?: unknown) => {
    if (dropped) return;
    dropped = true;
    stopEvents();
    stopMetrics();
    // 4403: the token was refused (expired, or for another secret); retrying cannot help.
    if ((reason as { code?: number } | undefined)?.code === 4403) {
      renderStatus('error', 'The token was refused: open the page with a fresh one (#token=…)');
      return;
    }
    renderStatus('reconnecting', 'reconnecting…');
    setTimeout(() => subscribeAll(client, pipelineId), retryMs);
    retryMs = Math.min(retryMs * 2, 10_000);
  };
  const live = () => {
    retryMs = 500;
    renderStatus('live', 'live');
  };
  const stopEvents = client.subscribe<{ dealEvents: DealEvent }>(
    { query: EVENTS, variables: { id: pipelineId, after: lastSeq?.toString() ?? null } },
    {
      next: ({ data }) => {
        live();
        const event = data?.dealEvents;
        if (!event) return;
        const seq = BigInt(event.seq);
        if (lastSeq !== undefined && seq <= lastSeq) return;
        lastSeq = seq;
        addTicker(event);
        refreshDeals(pipelineId);
        refreshManager(token!, pipelineId);
        refreshFlow();
      },
      error: drop,
      complete: drop,
    },
  );
  const stopMetrics = client.subscribe<{ pipelineMetricsUpdated: Metrics }>(
    { query: LIVE_METRICS, variables: { id: pipelineId } },
    {
      next: ({ data }) => {
        live();
        if (data?.pipelineMetricsUpdated) showMetrics(data.pipelineMetricsUpdated);
      },
      error: drop,
      complete: drop,
    },
  );
}

async function start() {
  if (!token) {
    renderStatus('error', 'Open this page as /wallboard#token=<JWT>&pipeline=<id> (npm run token -- --role ANALYST)');
    return;
  }
  const { pipelines } = await query<{ pipelines: { id: string; name: string }[] }>(token, PIPELINES);
  if (!pipelines.length) return renderStatus('error', 'This workspace has no pipeline yet');
  const pipelineId = hash.get('pipeline') ?? pipelines[0].id;
  renderPicker(pipelines, pipelineId, (id) => {
    hash.set('pipeline', id);
    location.hash = hash.toString();
    location.reload();
  });
  const { lastEventSeq } = await query<{ lastEventSeq: string }>(token, LAST_EVENT_SEQ);
  lastSeq = BigInt(lastEventSeq);
  const board = await query<{ pipeline: { name: string; stages: Stage[] } | null; pipelineMetrics: Metrics }>(token, BOARD, { id: pipelineId });
  if (!board.pipeline) return renderStatus('error', 'No such pipeline');
  stages = board.pipeline.stages;
  renderTitle(board.pipeline.name);
  showMetrics(board.pipelineMetrics);
  refreshManager(token, pipelineId, 0);
  refreshFlow = startWaterfall(token, pipelineId);
  const client = socket(token, (connected) => { if (connected) renderStatus('live', 'live'); });
  subscribeAll(client, pipelineId);
}

start().catch((err: Error) => renderStatus('error', err.message));
