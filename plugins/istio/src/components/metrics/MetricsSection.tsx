import { useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { EmptyState } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import Box from '@material-ui/core/Box';
import Grid from '@material-ui/core/Grid';
import { istioApiRef } from '../../api';
import { AsyncSection } from '../shared/AsyncSection';
import { ClusterResults } from '../shared/ClusterResults';
import { useRefreshToken } from '../shared/RefreshContext';
import { useEntityRef } from '../shared/useEntityRef';
import { CallersCard } from './CallersCard';
import { GoldenSignalsCard } from './GoldenSignalsCard';
import { DurationPicker, RATE_WINDOWS, SPARKLINE_RANGES } from './WindowPicker';

/** Golden signals with sparklines and callers, per cluster, with window pickers. */
export function MetricsSection() {
  const api = useApi(istioApiRef);
  const entityRef = useEntityRef();
  const refresh = useRefreshToken();
  const [rateWindow, setRateWindow] = useState('5m');
  const [range, setRange] = useState('1h');
  const state = useAsync(
    () => api.getMetrics(entityRef, { window: rateWindow, range }),
    [api, entityRef, rateWindow, range, refresh],
  );
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
          label="Sparkline range"
          value={range}
          options={SPARKLINE_RANGES}
          onChange={setRange}
        />
      </Box>
      <AsyncSection state={state} title="metrics">
        {response =>
          response.clusters.length === 0 ? (
            <EmptyState
              missing="data"
              title="No metrics for this entity"
              description="No cluster reports metrics for it. Once its pods are captured by ztunnel and receive traffic, Prometheus scrapes their signals."
            />
          ) : (
            <ClusterResults results={response.clusters} what="metrics">
              {metrics => (
                <Grid container spacing={2}>
                  <Grid item xs={12} lg={7}>
                    <GoldenSignalsCard metrics={metrics} />
                  </Grid>
                  <Grid item xs={12} lg={5}>
                    <CallersCard metrics={metrics} />
                  </Grid>
                </Grid>
              )}
            </ClusterResults>
          )
        }
      </AsyncSection>
    </>
  );
}
