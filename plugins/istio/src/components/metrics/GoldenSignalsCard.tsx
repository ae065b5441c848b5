import type { ReactNode } from 'react';
import { InfoCard } from '@backstage/core-components';
import { CARD_TITLE_PROPS } from '../shared/cardTitle';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import type {
  ClusterMetrics,
  HealthGrade,
  SeriesPoint,
  WaypointStatus,
} from '@ambient-mesh/plugin-istio-common';
import {
  formatBytesRate,
  formatMs,
  formatPercent,
  formatRate,
} from '../../utils/format';
import { StatusLabel, type StatusLevel } from '../shared/StatusLabel';

/** How each health grade reads, and how good it is. */
export const HEALTH_DISPLAY: Record<
  HealthGrade,
  { label: string; level: StatusLevel }
> = {
  healthy: { label: 'Healthy', level: 'ok' },
  degraded: { label: 'Degraded', level: 'warning' },
  failure: { label: 'Failure', level: 'error' },
  'no-traffic': { label: 'No traffic', level: 'neutral' },
  unknown: { label: 'Unknown', level: 'neutral' },
};

function rangeText(seconds: number): string {
  if (seconds % 3600 === 0) return `${seconds / 3600} h`;
  if (seconds % 60 === 0) return `${seconds / 60} min`;
  return `${seconds} s`;
}

/** One signal: its name, current value, and an optional sparkline. */
function Signal(props: {
  name: string;
  value: string;
  series?: SeriesPoint[];
  range: string;
}) {
  const { name, value } = props;
  return (
    <Grid item xs={6} sm={4}>
      <Typography variant="caption" component="p">
        {name}
      </Typography>
      <Typography variant="h6" component="p">
        {value}
      </Typography>
    </Grid>
  );
}

/** Why a card shows L4 signals only: the truth for each case. */
export function NoL7Reason(props: {
  waypoint?: WaypointStatus;
  window: string;
}) {
  const { waypoint, window } = props;
  if (waypoint?.kind === 'waypoint') {
    return (
      <Typography variant="body2" paragraph>
        Waypoint {waypoint.namespace}/{waypoint.name} serves this service, but
        it has reported no request over the last {window} yet: send traffic to
        the service (or pick a longer window) to see request rates, error ratios
        and latencies. Until then, ztunnel's L4 signals show below.
      </Typography>
    );
  }
  if (waypoint?.kind === 'none') {
    return (
      <Typography variant="body2" paragraph>
        No waypoint serves this service, so only L4 signals exist. A waypoint
        adds request rates, error ratios and latencies.
      </Typography>
    );
  }
  return (
    <Typography variant="body2" paragraph>
      No waypoint reports requests for this service over the last {window}, so
      only L4 signals show. A waypoint adds request rates, error ratios and
      latencies.
    </Typography>
  );
}

function Signals(props: { children: ReactNode }) {
  return (
    <Grid container spacing={2}>
      {props.children}
    </Grid>
  );
}

/** RPS, error ratios and latency percentiles (L7), or connection signals (L4). */
export function GoldenSignalsCard(props: {
  metrics: ClusterMetrics;
  /** The waypoint from the mesh status, which tells why there is no L7 signal. */
  waypoint?: WaypointStatus;
}) {
  const { metrics, waypoint } = props;
  const health = HEALTH_DISPLAY[metrics.health];
  const range = rangeText(metrics.rangeSeconds);
  const golden = metrics.golden;
  return (
    <InfoCard
      titleTypographyProps={CARD_TITLE_PROPS}
      title={metrics.layer === 'L7' ? 'Requests' : 'Connections'}
      subheader={
        metrics.layer === 'L7'
          ? `L7, reported by the waypoint, rates over ${metrics.window}`
          : `L4, reported by ztunnel, rates over ${metrics.window}`
      }
    >
      <Typography variant="body1" component="p" gutterBottom>
        <StatusLabel level={health.level}>Health: {health.label}</StatusLabel>
      </Typography>
      {golden ? (
        <Signals>
          <Signal
            name="Requests per second"
            value={formatRate(golden.rps)}
            series={metrics.series.rps}
            range={range}
          />
          <Signal
            name="5xx ratio"
            value={formatPercent(golden.errorRatio5xx)}
            series={metrics.series.errorRatio5xx}
            range={range}
          />
          <Signal
            name="4xx ratio"
            value={formatPercent(golden.errorRatio4xx)}
            range={range}
          />
          <Signal
            name="p50 latency"
            value={formatMs(golden.p50Ms)}
            range={range}
          />
          <Signal
            name="p95 latency"
            value={formatMs(golden.p95Ms)}
            series={metrics.series.p95Ms}
            range={range}
          />
          <Signal
            name="p99 latency"
            value={formatMs(golden.p99Ms)}
            range={range}
          />
        </Signals>
      ) : (
        <>
          <NoL7Reason waypoint={waypoint} window={metrics.window} />
          <Signals>
            <Signal
              name="Connections per second"
              value={formatRate(metrics.l4.connectionsPerSecond)}
              series={metrics.series.connectionsPerSecond}
              range={range}
            />
            <Signal
              name="Received"
              value={formatBytesRate(metrics.l4.receivedBytesPerSecond)}
              range={range}
            />
            <Signal
              name="Sent"
              value={formatBytesRate(metrics.l4.sentBytesPerSecond)}
              range={range}
            />
            <Signal
              name="mTLS share"
              value={formatPercent(metrics.l4.mtlsShare)}
              range={range}
            />
            <Signal
              name="Denied connections"
              value={formatRate(metrics.l4.deniedPerSecond)}
              range={range}
            />
          </Signals>
        </>
      )}
    </InfoCard>
  );
}
