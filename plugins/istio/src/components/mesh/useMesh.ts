import useAsync from 'react-use/esm/useAsync';
import { useApi } from '@backstage/core-plugin-api';
import { istioApiRef } from '../../api';
import { useEntityRef } from '../shared/useEntityRef';
import { useRefreshToken } from '../shared/RefreshContext';

/** Loads the mesh status of the current entity; reloads on refresh. */
export function useMesh(skip = false) {
  const api = useApi(istioApiRef);
  const entityRef = useEntityRef();
  const refresh = useRefreshToken();
  return useAsync(
    async () => (skip ? undefined : api.getMesh(entityRef)),
    [api, entityRef, refresh, skip],
  );
}
