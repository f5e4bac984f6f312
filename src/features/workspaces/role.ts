import { registerEnumType } from 'type-graphql';
import { Role } from '../../infra/auth/roles';

export { Role };

registerEnumType(Role, {
  name: 'Role',
  description: 'What a user may do in a workspace.',
  valuesConfig: {
    ADMIN: { description: 'Everything.' },
    MANAGER: { description: 'All leads, deals, activities and pipeline set-up.' },
    REP: { description: 'Reads everything; writes leads, deals and activities it owns or that are unowned.' },
    ANALYST: { description: 'Reads everything, queries and subscriptions; writes nothing.' },
  },
});
