import 'reflect-metadata';
import { Client } from 'pg';
import { listCases } from '../test/helpers/list-plans';

/**
 * Prints, for every list a client can ask for (each DealFilter and LeadFilter field, each
 * DealOrder field on each parent: test/helpers/list-plans.ts), the time and the plan's shape
 * of its page statement and its totalCount statement, with EXPLAIN ANALYZE on a seeded
 * workspace. Flags what loops per row (a SubPlan) or reads the whole table (a Seq Scan).
 *   DATABASE_URL=postgres://…/dealstream_bench npx ts-node --transpile-only bench/plans.ts [pattern]
 */
const url = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/dealstream_bench';
const workspace = process.env.WORKSPACE ?? 'bench';

interface PlanNode { 'Node Type': string; 'Relation Name'?: string; 'Index Name'?: string; 'Subplan Name'?: string;
  'Actual Loops'?: number; Plans?: PlanNode[] }

const SHAPELESS = /^(Result|Function Scan|Limit|Nested Loop|Aggregate|Sort|Hash|Gather.*)$/;

function name(node: PlanNode): string {
  const what = node['Index Name'] ?? node['Relation Name'];
  return `${node['Subplan Name']?.startsWith('SubPlan') ? 'SUBPLAN ' : ''}${node['Node Type']}${what ? ` ${what}` : ''}`;
}

const names = (node: PlanNode): string[] => [name(node), ...(node.Plans ?? []).flatMap(names)].filter((n) => !SHAPELESS.test(n));

/** The plan's nodes in order; a branch that never ran (a capped walk's fallback) in brackets, and not flagged. */
function walk(node: PlanNode, out: string[] = []): string[] {
  if (node['Actual Loops'] === 0) {
    out.push(`[not run: ${names(node).join(' > ')}]`);
    return out;
  }
  out.push(name(node));
  for (const child of node.Plans ?? []) walk(child, out);
  return out;
}

async function main() {
  const client = new Client({ connectionString: url });
  await client.connect();
  const [fixture] = (await client.query(`SELECT $1::text AS "workspaceId", p.id AS "pipelineId",
      (SELECT array_agg(s.id ORDER BY s.position) FROM stages s WHERE s.pipeline_id = p.id) AS "stageIds", 'owner-7' AS owner
    FROM pipelines p WHERE p.workspace_id = $1 ORDER BY p.created_at LIMIT 1`, [workspace])).rows;
  const pattern = new RegExp(process.argv[2] ?? '.');
  for (const c of listCases(fixture).filter((x) => pattern.test(x.name))) {
    for (const [kind, statement] of [['page', c.page], ['count', c.count]] as const) {
      const { rows: [row] } = await client.query(`EXPLAIN (ANALYZE, FORMAT JSON) ${statement.sql}`, statement.values);
      const [{ Plan: plan, 'Execution Time': ms }] = row['QUERY PLAN'];
      const nodes = walk(plan).filter((n) => !SHAPELESS.test(n));
      const flags = nodes.filter((n) => n.startsWith('SUBPLAN') || n.startsWith('Seq Scan on deals') || n === 'Seq Scan deals' || n === 'Seq Scan leads');
      console.log(`${ms.toFixed(1).padStart(8)} ms  ${kind.padEnd(5)} ${c.name.padEnd(48)} ${flags.length ? '!! ' : ''}${nodes.join(' > ')}`);
    }
  }
  await client.end();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
