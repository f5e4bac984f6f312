import type { Context } from '../../context';
import { SelectedField } from '../../infra/graphql/selection';
import { leaf, objectOf, Reader, RootStatement } from '../../infra/sql-answers/answer-fields';
import { jsonArray, JsonField } from '../../infra/sql-answers/json-fields';
import { User } from './user.entity';

/** A user field over row alias `row`: every field of a user is plain. */
export const userNode = (r: Reader, field: SelectedField, row: string): JsonField => leaf(r, User, 'User', field, row);

/** `users`: the workspace's users in the order `listUsers` gives them. */
export const usersStatement: RootStatement<Context> = (r, root) => `SELECT ${jsonArray(objectOf(r, 'User', root, 'u'),
  'u.name IS NULL, u.name COLLATE "C", u.external_id COLLATE "C"')} AS answer FROM users u WHERE u.workspace_id = ${r.workspace}`;

/** `me`: the caller's user; no row when it is gone (the general path answers NOT_FOUND). */
export const meStatement: RootStatement<Context> = (r, root) =>
  `SELECT ${objectOf(r, 'User', root, 'u')} AS answer FROM users u WHERE u.id = ${r.params.add(r.ctx.viewer.userId)}::uuid AND u.workspace_id = ${r.workspace}`;
