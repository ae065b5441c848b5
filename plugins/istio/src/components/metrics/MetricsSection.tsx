import { lazy, Suspense, useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { InfoCard, ResponseErrorPanel } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import Box from '@material-ui/core/Box';
import Grid from '@material-ui/core/Grid';
import type {
  ClusterMeshStatus,
  ClusterMetrics,
  EntityMeshResponse,
  EntityMetricsResponse,
  SectionError,
} from '@ambient-mesh/plugin-istio-common';
import { istioApiRef } from '../../api';
import { toError } from '../../utils/sectionError';
import { AsyncSection, type AsyncState } from '../shared/AsyncSection';
import { EmptyState } from '../shared/EmptyState';
import { ClusterResults } from '../shared/ClusterResults';
import { useRefreshToken } from '../shared/RefreshContext';
import { Skeleton } from '../shared/Skeleton';
import { useEntityRef } from '../shared/useEntityRef';
import { CARD_TITLE_PROPS } from '../shared/cardTitle';
import { CallersCard } from './CallersCard';
import { GoldenSignalsCard } from './GoldenSignalsCard';
import { DurationPicker, RATE_WINDOWS, SPARKLINE_RANGES } from './WindowPicker';

const SignalCharts = lazy(() => import('./SignalCharts'));

/** Height of the charts row, kept while the chart chunk loads. */
export const CHARTS_HEIGHT = 220;

/** The rate window and range of the metrics, and the request they drive. */
export function useMetricsState(skip = false) {
  const api = useApi(istioApiRef);
  const entityRef = useEntityRef();
  const refresh = useRefreshToken();
  const [rateWindow, setRateWindow] = useState('5m');
  const [range, setRange] = useState('1h');
  const state = useAsync(
    async () =>
      skip
        ? undefined
        : api.getMetrics(entityRef, { window: rateWindow, range }),
    [api, entityRef, rateWindow, range, refresh, skip],
  );
  return { state, rateWindow, setRateWindow, range, setRange };
}

/** What kind of failure a cluster's metrics error is. */
export function metricsFailure(
  error: SectionError,
): 'not-configured' | 'unreachable' | 'other' {
  if (/No Prometheus is configured/i.test(error.message)) {
    return 'not-configured';
  }
  if (
    error.name === 'ServiceUnavailableError' ||
    /unreachable|timed out|did not answer/i.test(error.message)
  ) {
    return 'unreachable';
  }
  return 'other';
}

/** The truth about a cluster whose metrics could not be read. */
export function MetricsError(props: { error: SectionError; cluster: string }) {
  const { error, cluster } = props;
  switch (metricsFailure(error)) {
    case 'not-configured':
      return (
        <EmptyState
          missing="field"
          title="Prometheus is not configured"
          description={`No Prometheus serves cluster ${cluster}, so there are no golden signals, charts or traffic graph. Add an instance under istio.prometheus in app-config.yaml (name, baseUrl, clusters).`}
        />
      );
    case 'unreachable':
      return (
        <EmptyState
          missing="data"
          title="Prometheus is not reachable"
          description={`The metrics of cluster ${cluster} could not be read: ${error.message}. The mesh status above does not depend on it; check the instance's baseUrl and that it runs.`}
        />
      );
    default:
      return (
        <ResponseErrorPanel
          error={toError(error)}
          title={`Could not load metrics from cluster ${cluster}: ${error.message}`}
        />
      );
  }
}

function waypointOf(
  mesh: EntityMeshResponse | undefined,
  cluster: string,
  namespace: string | undefined,
) {
  const result = mesh?.clusters.find(
    c => c.cluster === cluster && c.namespace === namespace,
  );
  return (result?.data as ClusterMeshStatus | undefined)?.waypoint;
}

/** The metrics of one cluster: current values, callers and charts. */
export function ClusterMetricsView(props: {
  metrics: ClusterMetrics;
  mesh?: EntityMeshResponse;
  range: string;
  /** The namespace, when it was found from the workloads (several per cluster). */
  namespace?: string;
}) {
  const { metrics, mesh, range, namespace } = props;
  return (
    <Grid container spacing={2}>
      <Grid item xs={12} lg={7}>
        <GoldenSignalsCard
          metrics={metrics}
          waypoint={waypointOf(mesh, metrics.cluster, namespace)}
        />
      </Grid>
      <Grid item xs={12} lg={5}>
        <CallersCard metrics={metrics} />
      </Grid>
      <Grid item xs={12}>
        <InfoCard
          titleTypographyProps={CARD_TITLE_PROPS}
          title={`Over the last ${range}`}
          subheader={
            metrics.layer === 'L7'
              ? 'Requests reported by the waypoint; hover a chart for its values'
              : 'Connections reported by ztunnel; hover a chart for its values'
          }
        >
          <Box minHeight={CHARTS_HEIGHT}>
            <Suspense fallback={<Skeleton height={CHARTS_HEIGHT} />}>
              <SignalCharts metrics={metrics} />
            </Suspense>
          </Box>
        </InfoCard>
      </Grid>
    </Grid>
  );
}

/** Golden signals, charts and callers, per cluster, with window pickers. */
export function MetricsSection(props: {
  metrics?: ReturnType<typeof useMetricsState>;
  mesh?: EntityMeshResponse;
}) {
  const own = useMetricsState(props.metrics !== undefined);
  const { state, rateWindow, setRateWindow, range, setRange } =
    props.metrics ?? own;
  return (
    <>
      <Box display="flex" mb={2} style={{ gap: 16 }}>
        <DurationPicker
          id="istio-rate-window"
          label="Rate window"
          value={rateWindow}
          options={RATE_WINDOWS}
          onChange={setRateWindow}
        />
        <DurationPicker
          id="istio-sparkline-range"
          label="Chart range"
          value={range}
          options={SPARKLINE_RANGES}
          onChange={setRange}
        />
      </Box>
      <AsyncSection
        state={state as AsyncState<EntityMetricsResponse>}
        title="metrics"
        skeletonHeight={CHARTS_HEIGHT + 200}
      >
        {response =>
          response.clusters.length === 0 ? (
            <EmptyState
              missing="data"
              title="No metrics for this entity"
              description="No cluster reports metrics for it. Once its pods are captured by ztunnel and receive traffic, Prometheus scrapes their signals."
            />
          ) : (
            <ClusterResults
              results={response.clusters}
              what="metrics"
              renderError={(error, cluster) => (
                <MetricsError error={error} cluster={cluster} />
              )}
            >
              {(metrics, _cluster, namespace) => (
                <ClusterMetricsView
                  metrics={metrics}
                  mesh={props.mesh}
                  range={range}
                  namespace={namespace}
                />
              )}
            </ClusterResults>
          )
        }
      </AsyncSection>
    </>
  );
}
