/** Drawing the board: columns per stage, health tiles, and the ticker of deal movements. */
import { DealEvent, Metrics, Stage } from './api';
import { stalledReasons } from './manager';

const money = new Intl.NumberFormat(undefined, { notation: 'compact', maximumFractionDigits: 1 });
const count = new Intl.NumberFormat();
const el = (id: string) => document.getElementById(id)!;

function text(tag: string, className: string, content: string, attrs: Record<string, string> = {}): HTMLElement {
  const node = document.createElement(tag);
  node.className = className;
  node.textContent = content;
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  return node;
}

export function renderTitle(name: string): void {
  el('pipeline-name').textContent = name;
  document.title = `${name} · Dealstream wallboard`;
}

/** One column per stage with its open deals' count, value and weighted value. */
export function renderColumns(stages: Stage[], metrics: Metrics): void {
  const byStage = new Map(metrics.stages.map((s) => [s.stage.id, s]));
  const columns = el('columns');
  columns.replaceChildren(...stages.filter((s) => s.kind === 'OPEN').map((stage) => {
    const m = byStage.get(stage.id);
    const column = document.createElement('section');
    column.className = 'column';
    column.dataset.stageId = stage.id;
    column.append(
      text('h2', 'stage-name', stage.name),
      text('div', 'deal-count', count.format(m?.dealCount ?? 0), { 'data-testid': `count-${stage.id}` }),
      text('div', 'label', (m?.dealCount ?? 0) === 1 ? 'deal' : 'deals'),
      text('div', 'value', money.format(m?.value ?? 0)),
      text('div', 'weighted', `weighted ${money.format(m?.weightedValue ?? 0)}`),
      ...(m?.stalledCount ? [text('div', 'stalled', `${m.stalledCount} stalled`)] : []),
      dealList(stage),
    );
    return column;
  }));
}

function dealList(stage: Stage): HTMLElement {
  const list = document.createElement('ul');
  list.className = 'deals';
  list.append(...(stage.deals?.nodes ?? []).map((deal) => {
    const item = document.createElement('li');
    item.className = deal.isStalled ? 'deal deal-stalled' : 'deal';
    item.append(text('span', 'deal-title', deal.title), text('span', 'deal-value', money.format(deal.value)));
    const reasons = stalledReasons(deal);
    if (reasons) item.append(reasons);
    return item;
  }));
  return list;
}

const percent = (v: number | null) => (v === null ? '–' : `${Math.round(v * 100)}%`);

/** The four health metrics (win rate, deal size, sales cycle, velocity) and the open totals. */
export function renderTiles(m: Metrics): void {
  const tiles: [string, string, string][] = [
    ['win-rate', 'Win rate', percent(m.winRate)],
    ['deal-size', 'Average deal', m.averageDealSize === null ? '–' : money.format(m.averageDealSize)],
    ['cycle', 'Sales cycle', m.averageSalesCycleDays === null ? '–' : `${m.averageSalesCycleDays < 10 ? m.averageSalesCycleDays.toFixed(1) : Math.round(m.averageSalesCycleDays)} days`],
    ['velocity', 'Velocity', m.velocityPerDay === null ? '–' : `${money.format(m.velocityPerDay)}/day`],
    ['open', 'Open pipeline', `${count.format(m.openDealCount)} · ${money.format(m.openValue)}`],
  ];
  el('tiles').replaceChildren(...tiles.map(([id, label, value]) => {
    const tile = document.createElement('div');
    tile.className = 'tile';
    tile.dataset.metric = id;
    tile.append(text('div', 'tile-value', value), text('div', 'tile-label', label));
    return tile;
  }));
  el('updated').textContent = `updated ${new Date(m.computedAt).toLocaleTimeString([], { hour12: false })}`;
}

const VERBS: Record<string, string> = { CREATED: 'new', MOVED: 'moved', WON: 'won', LOST: 'lost', REOPENED: 'reopened', UPDATED: 'updated', DELETED: 'deleted', STALLED: 'stalled' };

/** Adds a movement at the top of the ticker, keeping the latest few. */
export function addTicker(event: DealEvent): void {
  const ticker = el('ticker');
  const item = document.createElement('li');
  item.className = `tick tick-${event.type.toLowerCase()}`;
  const route = event.fromStage && event.toStage ? `${event.fromStage.name} → ${event.toStage.name}` : event.toStage?.name ?? '';
  item.append(
    text('span', 'tick-time', new Date(event.occurredAt).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', hour12: false })),
    text('span', 'tick-verb', VERBS[event.type] ?? event.type.toLowerCase()),
    text('span', 'tick-title', event.deal.title),
    text('span', 'tick-route', route),
    text('span', 'tick-value', money.format(event.deal.value)),
  );
  ticker.prepend(item);
  while (ticker.children.length > 12) ticker.lastElementChild!.remove();
}

/** A pipeline picker, shown when the workspace has more than one pipeline. */
export function renderPicker(pipelines: { id: string; name: string }[], current: string, onPick: (id: string) => void): void {
  if (pipelines.length < 2) return;
  const select = document.createElement('select');
  select.id = 'pipeline-picker';
  select.setAttribute('aria-label', 'Pipeline');
  for (const p of pipelines) {
    const option = document.createElement('option');
    option.value = p.id;
    option.textContent = p.name;
    option.selected = p.id === current;
    select.append(option);
  }
  select.addEventListener('change', () => onPick(select.value));
  el('picker').replaceChildren(select);
}

export function renderStatus(state: 'live' | 'reconnecting' | 'error', message = ''): void {
  const status = el('status');
  status.className = `status status-${state}`;
  status.textContent = message || state;
}
