import { useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { useApi } from '@backstage/core-plugin-api';
import Box from '@material-ui/core/Box';
import Tab from '@material-ui/core/Tab';
import Tabs from '@material-ui/core/Tabs';
import type { TraceQueryKind } from '@ambient-mesh/plugin-istio-common';
import { istioApiRef } from '../../api';
import { AsyncSection } from '../shared/AsyncSection';
import { EmptyState } from '../shared/EmptyState';
import { ClusterResults } from '../shared/ClusterResults';
import { useRefreshToken } from '../shared/RefreshContext';
import { useEntityRef } from '../shared/useEntityRef';
import { TracesTable } from './TracesTable';

const TABS: { kind: TraceQueryKind; label: string }[] = [
  { kind: 'recent', label: 'Recent' },
  { kind: 'slow', label: 'Slow' },
  { kind: 'errors', label: 'Errors' },
];

/** Number of traces listed per cluster. */
export const TRACE_LIMIT = 20;

/** Recent, slow and failed traces, per cluster, linking out to the trace viewer. */
export function TracesSection() {
  const api = useApi(istioApiRef);
  const entityRef = useEntityRef();
  const refresh = useRefreshToken();
  const [kind, setKind] = useState<TraceQueryKind>('recent');
  const state = useAsync(
    () => api.getTraces(entityRef, { kind, limit: TRACE_LIMIT }),
    [api, entityRef, kind, refresh],
  );
  return (
    <>
      <Tabs
        value={kind}
        onChange={(_, value: TraceQueryKind) => setKind(value)}
        aria-label="Which traces"
        indicatorColor="primary"
      >
        {TABS.map(t => (
          <Tab
            key={t.kind}
            value={t.kind}
            label={t.label}
            id={`istio-traces-tab-${t.kind}`}
            aria-controls="istio-traces-panel"
          />
        ))}
      </Tabs>
      <Box
        id="istio-traces-panel"
        role="tabpanel"
        aria-labelledby={`istio-traces-tab-${kind}`}
        pt={2}
      >
        <AsyncSection state={state} title="traces">
          {response =>
            response.clusters.length === 0 ? (
              <EmptyState
                missing="data"
                title="No traces for this entity"
                description="No cluster answered for it. Check that tracing is configured for the mesh (a Telemetry resource selecting a tracing provider)."
              />
            ) : (
              <ClusterResults results={response.clusters} what="traces">
                {traces => <TracesTable traces={traces} />}
              </ClusterResults>
            )
          }
        </AsyncSection>
      </Box>
    </>
  );
}
