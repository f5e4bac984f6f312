import { Column, Entity, PrimaryColumn } from 'typeorm';
import { timestamp } from '../../infra/db/columns';

/**
 * The stage visit of a deal whose STALLED event has been written: the deal, and the
 * `stage_entered_at` of that visit. A deal that enters a stage anew starts a new visit, which
 * may stall (and be marked) again. The key makes the event once per visit across instances.
 */
@Entity('deal_stall_marks')
export class DealStallMark {
  @PrimaryColumn('uuid')
  dealId: string;

  @Column('text')
  workspaceId: string;

  @Column(timestamp)
  stageEnteredAt: Date;
}
