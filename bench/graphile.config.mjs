// PostGraphile v5 as the benchmark peer: the amber preset on Dealstream's database.
import { PostGraphileAmberPreset } from 'postgraphile/presets/amber';
import { makePgService } from 'postgraphile/adaptors/pg';
import { jsonPgSmartTags } from 'postgraphile/utils';

// The ledger's stage and author columns carry no foreign keys (a move would share-lock the rows
// they name); declared here, PostGraphile still offers `stageByFromStageId`, `stageByToStageId`
// and `userByChangedById`.
const LedgerStages = jsonPgSmartTags({
  version: 1,
  config: { class: { stage_changes: { tags: { foreignKey: [
    '(from_stage_id) references stages (id)', '(to_stage_id) references stages (id)', '(changed_by_id) references users (id)',
  ] } } } },
});

/** @type {GraphileConfig.Preset} */
export default {
  extends: [PostGraphileAmberPreset],
  // Amber hides conditions, orderings and back-relations on columns without a plain
  // index; Dealstream's board and list indexes are partial (deleted_at IS NULL). Without
  // this plugin PostGraphile offers `dealsByStageId`, `condition: { deletedAt: null }` and
  // `orderBy: CREATED_AT_ASC`, and its SQL uses the same partial indexes.
  disablePlugins: ['PgIndexBehaviorsPlugin'],
  plugins: [LedgerStages],
  pgServices: [makePgService({ connectionString: process.env.DATABASE_URL, schemas: ['public'] })],
  grafserv: { port: Number(process.env.PORT ?? 5678), host: '127.0.0.1' },
  grafast: { explain: false },
};
