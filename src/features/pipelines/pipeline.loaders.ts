import { EntityManager } from 'typeorm';
import { byIdLoader, groupLoader } from '../../infra/loaders/loader-kit';
import { Viewer } from '../workspaces/viewer';
import { Pipeline } from './pipeline.entity';
import { Stage } from './stage.entity';

export function createPipelineLoaders(em: EntityManager, viewer: Viewer) {
  return {
    pipeline: byIdLoader(em, Pipeline, 'pipelines', viewer.workspaceId),
    stage: byIdLoader(em, Stage, 'stages', viewer.workspaceId),
    stagesOfPipeline: groupLoader(em, Stage,
      'SELECT * FROM stages WHERE pipeline_id = ANY($1::uuid[]) AND workspace_id = $2 ORDER BY position, id',
      'pipeline_id', viewer.workspaceId),
  };
}
