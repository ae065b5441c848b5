import { useCallback, useState, type ReactNode } from 'react';
import useInterval from 'react-use/esm/useInterval';
import {
  MissingAnnotationEmptyState,
  useEntity,
} from '@backstage/plugin-catalog-react';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import type {
  ClusterMeshStatus,
  ClusterMetrics,
} from '@ambient-mesh/plugin-istio-common';
import {
  ISTIO_ENTITY_ANNOTATIONS,
  isIstioAvailable,
} from '../../isIstioAvailable';
import { GraphSection } from '../graph/GraphSection';
import { MeshSection } from '../mesh/MeshSection';
import { useMesh } from '../mesh/useMesh';
import { MetricsSection, useMetricsState } from '../metrics/MetricsSection';
import { RefreshContext } from '../shared/RefreshContext';
import { SummaryStrip } from '../summary/SummaryStrip';
import { TracesSection } from '../traces/TracesSection';
import { RefreshControls } from './RefreshControls';

/** Props of the Service Mesh tab (`EntityIstioContent`). @public */
export interface IstioContentProps {
  /** Seconds between two automatic refreshes when auto-refresh is on (default 30). */
  refreshIntervalSeconds?: number;
}

function Section(props: { title: string; id: string; children: ReactNode }) {
  return (
    <Box component="section" aria-labelledby={props.id} mb={4}>
      <Typography variant="h5" component="h2" id={props.id} gutterBottom>
        {props.title}
      </Typography>
      {props.children}
    </Box>
  );
}

/** The tab's content, once the entity is known to have the annotations. */
function MeshTab(props: {
  refresh: () => void;
  autoRefresh: boolean;
  setAutoRefresh: (on: boolean) => void;
  refreshIntervalSeconds: number;
}) {
  const mesh = useMesh();
  const metrics = useMetricsState();
  const firstMesh = mesh.value?.clusters.find(c => c.data);
  const status = firstMesh?.data as ClusterMeshStatus | undefined;
  const clusterMetrics = metrics.state.value?.clusters.find(
    c =>
      c.cluster === firstMesh?.cluster &&
      c.namespace === firstMesh?.namespace &&
      c.data,
  )?.data as ClusterMetrics | undefined;
  const clusters = mesh.value?.clusters.length ?? 0;
  return (
    <div data-testid="istio-tab">
      <Box display="flex" alignItems="flex-start" mb={2} style={{ gap: 16 }}>
        <Box flex={1} minWidth={0}>
          {mesh.value && !status ? null : (
            <SummaryStrip
              status={status}
              metrics={clusterMetrics}
              metricsDone={
                metrics.state.value !== undefined ||
                metrics.state.error !== undefined
              }
              cluster={clusters > 1 ? firstMesh?.cluster : undefined}
            />
          )}
        </Box>
        <RefreshControls
          autoRefresh={props.autoRefresh}
          intervalSeconds={props.refreshIntervalSeconds}
          onAutoRefreshChange={props.setAutoRefresh}
          onRefresh={props.refresh}
        />
      </Box>
      <Section title="Mesh status" id="istio-mesh-status">
        <MeshSection state={mesh} />
      </Section>
      <Section title="Golden signals" id="istio-golden-signals">
        <MetricsSection metrics={metrics} mesh={mesh.value} />
      </Section>
      <Section title="Traffic graph" id="istio-traffic-graph">
        <GraphSection window={metrics.rateWindow} />
      </Section>
      <Section title="Traces" id="istio-traces">
        <TracesSection />
      </Section>
    </div>
  );
}

/**
 * The Service Mesh tab of an entity: a summary strip, the mesh status,
 * golden signals with charts, the traffic graph and traces, per cluster.
 * Each section loads and fails on its own.
 *
 * @public
 */
export function IstioContent(props: IstioContentProps) {
  const { refreshIntervalSeconds = 30 } = props;
  const { entity } = useEntity();
  const [autoRefresh, setAutoRefresh] = useState(false);
  const [refreshToken, setRefreshToken] = useState(0);
  const refresh = useCallback(() => setRefreshToken(t => t + 1), []);
  useInterval(refresh, autoRefresh ? refreshIntervalSeconds * 1000 : null);

  if (!isIstioAvailable(entity)) {
    return (
      <MissingAnnotationEmptyState annotation={[...ISTIO_ENTITY_ANNOTATIONS]} />
    );
  }
  return (
    <RefreshContext.Provider value={refreshToken}>
      <MeshTab
        refresh={refresh}
        autoRefresh={autoRefresh}
        setAutoRefresh={setAutoRefresh}
        refreshIntervalSeconds={refreshIntervalSeconds}
      />
    </RefreshContext.Provider>
  );
}
