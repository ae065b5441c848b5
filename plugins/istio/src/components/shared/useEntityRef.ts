import { useMemo } from 'react';
import { getCompoundEntityRef } from '@backstage/catalog-model';
import type { CompoundEntityRef } from '@backstage/catalog-model';
import { useEntity } from '@backstage/plugin-catalog-react';

/** The reference of the entity of the current page, stable across renders. */
export function useEntityRef(): CompoundEntityRef {
  const { entity } = useEntity();
  const { kind, namespace, name } = getCompoundEntityRef(entity);
  return useMemo(() => ({ kind, namespace, name }), [kind, namespace, name]);
}
