import { Field, ObjectType, registerEnumType } from 'type-graphql';

/** The fields of a deal whose changes are recorded, in the order changes list them. */
export enum DealField {
  TITLE = 'TITLE',
  VALUE = 'VALUE',
  STAGE = 'STAGE',
  STATUS = 'STATUS',
  OWNER = 'OWNER',
  EXPECTED_CLOSE_DATE = 'EXPECTED_CLOSE_DATE',
  LOST_REASON = 'LOST_REASON',
}

registerEnumType(DealField, { name: 'DealField', description: 'A field of a deal whose every change is recorded.' });

/** A recorded change as stored (the `changes` column of `deal_events` and `deal_history`). */
export interface FieldChangeRow {
  field: DealField;
  from: string | null;
  to: string | null;
}

@ObjectType({
  description: 'One field a change of a deal set, with its value before and after, as the API shows them: VALUE with two '
    + 'decimals ("12500.00"), dates as ISO-8601 instants, STAGE a stage id, OWNER a user id, STATUS the status name.',
})
export class FieldChange implements FieldChangeRow {
  @Field(() => DealField, { description: 'The field that changed.' })
  field: DealField;

  @Field(() => String, { nullable: true, description: 'Its value before the change; null when it was unset.' })
  from: string | null;

  @Field(() => String, { nullable: true, description: 'Its value after the change; null when it was cleared.' })
  to: string | null;
}
