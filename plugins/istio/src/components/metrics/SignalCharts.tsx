import Grid from '@material-ui/core/Grid';
import type { ClusterMetrics } from '@ambient-mesh/plugin-istio-common';
import { TimeSeriesChart } from '../charts/TimeSeriesChart';

/** A number for an axis or tooltip: two decimals below 10, one above. */
export function axisNumber(value: number): string {
  if (value === 0) return '0';
  const abs = Math.abs(value);
  if (abs >= 1000) return `${(value / 1000).toFixed(1)}k`;
  return value.toFixed(abs < 10 ? 2 : 1).replace(/\.?0+$/, '');
}

const percent = (share: number) => axisNumber(share * 100);

function kib(bytes: number) {
  return axisNumber(bytes / 1024);
}

/**
 * The charts of one cluster's metrics over the chosen range: request rate,
 * error ratios and latency percentiles (L7), or connections, bytes and mTLS
 * share (L4). Loaded on demand, apart from the tab's first chunk.
 */
export default function SignalCharts(props: { metrics: ClusterMetrics }) {
  const { metrics } = props;
  const s = metrics.series;
  if (metrics.layer === 'L7') {
    return (
      <Grid container spacing={2}>
        <Grid item xs={12} md={4}>
          <TimeSeriesChart
            title="Request rate"
            unit="req/s"
            format={axisNumber}
            series={[{ name: 'Requests', points: s.rps }]}
          />
        </Grid>
        <Grid item xs={12} md={4}>
          <TimeSeriesChart
            title="Error ratio"
            unit="%"
            format={percent}
            series={[
              { name: '5xx', points: s.errorRatio5xx },
              { name: '4xx', points: s.errorRatio4xx, dashed: true },
            ]}
          />
        </Grid>
        <Grid item xs={12} md={4}>
          <TimeSeriesChart
            title="Latency"
            unit="ms"
            format={axisNumber}
            series={[
              { name: 'p50', points: s.p50Ms },
              { name: 'p95', points: s.p95Ms },
              { name: 'p99', points: s.p99Ms, dashed: true },
            ]}
          />
        </Grid>
      </Grid>
    );
  }
  return (
    <Grid container spacing={2}>
      <Grid item xs={12} md={4}>
        <TimeSeriesChart
          title="Connections"
          unit="conn/s"
          format={axisNumber}
          series={[{ name: 'Opened', points: s.connectionsPerSecond }]}
        />
      </Grid>
      <Grid item xs={12} md={4}>
        <TimeSeriesChart
          title="Bytes"
          unit="KiB/s"
          format={kib}
          series={[
            { name: 'Received', points: s.receivedBytesPerSecond },
            { name: 'Sent', points: s.sentBytesPerSecond, dashed: true },
          ]}
        />
      </Grid>
      <Grid item xs={12} md={4}>
        <TimeSeriesChart
          title="mTLS share"
          unit="%"
          format={percent}
          max={1}
          series={[{ name: 'mTLS', points: s.mtlsShare }]}
        />
      </Grid>
    </Grid>
  );
}
