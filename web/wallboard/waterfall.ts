/**
 * This quarter's flow as a waterfall: the open pipeline at the quarter's start, each kind of
 * movement since (ins rise, outs fall), and the pipeline now. It reloads shortly after deal
 * events, so the chart follows the board live; a burst of events costs one query.
 */
import { query } from './api';
import './waterfall.css';

const FLOW = `query WallboardFlow($id: ID!, $from: DateTime!) {
  pipelineFlow(pipelineId: $id, range: { from: $from }) { start { value } end { value } movements { kind dealCount value } } }`;

interface Flow {
  start: { value: number };
  end: { value: number };
  movements: { kind: string; dealCount: number; value: number }[];
}

const OUTS = new Set(['PUSHED_OUT', 'WON', 'LOST', 'DELETED', 'DECREASED']);
const LABELS: Record<string, string> = {
  CREATED: 'New', REOPENED: 'Reopened', PULLED_IN: 'Pulled in', INCREASED: 'Increased', PUSHED_OUT: 'Pushed out',
  WON: 'Won', LOST: 'Lost', DELETED: 'Deleted', DECREASED: 'Decreased',
};
const money = new Intl.NumberFormat(undefined, { notation: 'compact', maximumFractionDigits: 1 });
const SVG = 'http://www.w3.org/2000/svg';

/** The first moment of the current calendar quarter, UTC. */
export function quarterStart(now = new Date()): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), Math.floor(now.getUTCMonth() / 3) * 3, 1));
}

function svg(name: string, attributes: Record<string, string | number>, text?: string): SVGElement {
  const element = document.createElementNS(SVG, name);
  for (const [key, value] of Object.entries(attributes)) element.setAttribute(key, String(value));
  if (text !== undefined) element.textContent = text;
  return element;
}

/** The bars, left to right: totals stand on zero, each movement floats from the running total. */
function bars(flow: Flow): { label: string; low: number; high: number; tone: string; amount: number }[] {
  let running = flow.start.value;
  const result = [{ label: 'Start', low: 0, high: running, tone: 'total', amount: running }];
  for (const m of flow.movements) {
    const next = OUTS.has(m.kind) ? running - m.value : running + m.value;
    result.push({ label: LABELS[m.kind] ?? m.kind, low: Math.min(running, next), high: Math.max(running, next),
      tone: OUTS.has(m.kind) ? 'out' : 'in', amount: m.value });
    running = next;
  }
  result.push({ label: 'Now', low: 0, high: flow.end.value, tone: 'total', amount: flow.end.value });
  return result;
}

function render(root: HTMLElement, flow: Flow) {
  const items = bars(flow);
  const [width, height, top, bottom] = [1100, 260, 28, 40];
  const max = Math.max(1, ...items.map((b) => b.high));
  const step = width / items.length;
  const y = (v: number) => top + (height - top - bottom) * (1 - v / max);
  const chart = svg('svg', { viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-label': 'Pipeline flow this quarter' });
  items.forEach((bar, i) => {
    const x = i * step + step * 0.15;
    const group = svg('g', { class: `bar bar-${bar.tone}`, 'data-testid': `flow-${bar.label}` });
    group.append(
      svg('rect', { x, y: y(bar.high), width: step * 0.7, height: Math.max(1, y(bar.low) - y(bar.high)), rx: 4 }),
      svg('text', { x: x + step * 0.35, y: y(bar.high) - 8, class: 'bar-amount' },
        `${bar.tone === 'out' ? '−' : bar.tone === 'in' ? '+' : ''}${money.format(bar.amount)}`),
      svg('text', { x: x + step * 0.35, y: height - 14, class: 'bar-label' }, bar.label),
    );
    chart.append(group);
  });
  root.replaceChildren(chart);
}

/** Puts the chart under the tiles and returns a function that reloads it (debounced). */
export function startWaterfall(token: string, pipelineId: string): () => void {
  const section = document.createElement('section');
  section.id = 'waterfall';
  section.innerHTML = '<h2>Pipeline flow this quarter</h2><div class="waterfall-chart"></div>';
  document.getElementById('tiles')?.after(section);
  const chart = section.querySelector<HTMLElement>('.waterfall-chart')!;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const load = async () => {
    const data = await query<{ pipelineFlow: Flow }>(token, FLOW, { id: pipelineId, from: quarterStart().toISOString() })
      .catch(() => undefined);
    if (data) render(chart, data.pipelineFlow);
  };
  void load();
  return () => {
    clearTimeout(timer);
    timer = setTimeout(load, 500);
  };
}
