// Who a principal id is, where the reader may know: admins read every principal (GET /v1/principals);
// everyone knows themselves and those who delegated roles to them (GET /v1/me). Others stay
// "principal 1a2b3c4d".
import { allPages, api, ok } from '../api/client';
import type { Principal } from '../api/types';
import { useResource } from '../lib/store';
import { useApp } from './app-context';

export function usePrincipalName(): (id: string | null) => string {
  const app = useApp();
  const principals = useResource(app.has('admin') ? 'principals' : null, () =>
    allPages<Principal>((cursor) =>
      ok(api.GET('/v1/principals', { params: { query: { limit: 500, cursor } } })),
    ),
  );
  return (id) => {
    if (id === null) return 'Baton (system)';
    if (id === app.me.id) return `${app.me.name} (you)`;
    const known = principals.data?.find((principal) => principal.id === id);
    if (known) return known.name;
    const delegator = app.me.delegatedRoles.find((delegation) => delegation.onBehalfOf === id);
    return delegator ? delegator.onBehalfOfName : `principal ${id.slice(0, 8)}`;
  };
}
