import { lazy, Suspense, useState } from 'react';
import { Table } from '@backstage/core-components';
import { Link } from '@backstage/ui';
import type { TableColumn } from '@backstage/core-components';
import Button from '@material-ui/core/Button';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import type {
  ClusterTraces,
  TraceSummary,
} from '@ambient-mesh/plugin-istio-common';
import { formatMs } from '../../utils/format';
import { Skeleton } from '../shared/Skeleton';
import { StatusLabel } from '../shared/StatusLabel';

const useStyles = makeStyles({
  hidden: {
    position: 'absolute',
    width: 1,
    height: 1,
    overflow: 'hidden',
    clip: 'rect(0 0 0 0)',
    whiteSpace: 'nowrap',
  },
});

const TraceDetailPanel = lazy(() => import('./TraceDetailPanel'));

const KIND_TITLES: Record<ClusterTraces['kind'], string> = {
  recent: 'Recent traces',
  slow: 'Slowest traces',
  errors: 'Traces with errors',
};

const METHOD = /^(GET|HEAD|POST|PUT|PATCH|DELETE|OPTIONS|CONNECT|TRACE)\b/;

/**
 * A short form of a root span: its method and route when the name holds
 * them (`GET /orders/42?x=1` as `GET /orders/42`, or the path after an
 * authority such as `orders.ns.svc.cluster.local:80/orders`), else the name.
 */
export function compactSpanName(name: string): string {
  const method = METHOD.exec(name)?.[1];
  const rest = method ? name.slice(method.length).trim() : name.trim();
  const url = /^(?:[a-z]+:\/\/)?[^/\s]*?(\/[^\s?#]*)/i.exec(rest);
  const route = url ? url[1] : rest;
  return method ? `${method} ${route}` : route;
}

function statusText(t: TraceSummary): string {
  return t.statusCode ?? (t.error ? 'error' : 'ok');
}

/** The traces of one cluster, or why there are none; a click opens a trace's spans. */
export function TracesTable(props: { traces: ClusterTraces }) {
  const { traces } = props;
  const classes = useStyles();
  const [selected, setSelected] = useState<string | null>(null);
  if (traces.noSpansReason === 'no-waypoint') {
    return (
      <StatusLabel level="neutral">
        Istio emits no spans for this service: no waypoint serves it, and only
        waypoints emit spans (ztunnel does not). Deploy a waypoint for the
        namespace to get traces.
      </StatusLabel>
    );
  }
  if (traces.traces.length === 0) {
    return (
      <Typography variant="body2">
        No trace found for {traces.serviceNames.join(' or ')}. Traces are
        sampled (Istio keeps 1 % by default): send more traffic, or raise the
        sampling with a Telemetry resource.
      </Typography>
    );
  }
  const columns: TableColumn<TraceSummary>[] = [
    {
      title: 'Trace',
      field: 'traceId',
      render: t => (
        <Button
          size="small"
          variant={selected === t.traceId ? 'contained' : 'outlined'}
          color="primary"
          aria-pressed={selected === t.traceId}
          onClick={() => setSelected(selected === t.traceId ? null : t.traceId)}
          style={{ fontFamily: 'monospace', textTransform: 'none' }}
        >
          <span className={classes.hidden}>Show the spans of trace </span>
          {t.traceId.slice(0, 8)}
          <span className={classes.hidden}>{t.traceId.slice(8)}</span>
        </Button>
      ),
    },
    {
      title: 'Root span',
      field: 'rootTraceName',
      render: t => (
        <Typography
          variant="body2"
          noWrap
          title={`${t.rootServiceName}: ${t.rootTraceName}`}
          style={{ maxWidth: 420 }}
        >
          {t.method || t.path
            ? `${t.method ?? ''} ${
                t.path ?? compactSpanName(t.rootTraceName)
              }`.trim()
            : compactSpanName(t.rootTraceName)}
        </Typography>
      ),
    },
    {
      title: 'Started',
      field: 'start',
      render: t => new Date(t.start).toLocaleTimeString('en-GB'),
    },
    {
      title: 'Duration',
      field: 'durationMs',
      render: t => formatMs(t.durationMs),
    },
    {
      title: 'Status',
      field: 'statusCode',
      render: t => (
        <StatusLabel level={t.error ? 'error' : 'ok'}>
          {statusText(t)}
        </StatusLabel>
      ),
    },
    {
      title: 'Grafana',
      field: 'link',
      render: t =>
        t.link ? (
          <Link
            href={t.link}
            target="_blank"
            rel="noopener noreferrer"
            aria-label={`Open trace ${t.traceId} in Grafana Explore`}
          >
            Explore
          </Link>
        ) : (
          '-'
        ),
    },
  ];
  return (
    <>
      <Table<TraceSummary>
        title={KIND_TITLES[traces.kind]}
        columns={columns}
        data={traces.traces}
        options={{
          paging: false,
          search: false,
          sorting: false,
          toolbar: false,
          padding: 'dense',
        }}
      />
      {selected && (
        <Suspense fallback={<Skeleton height={160} />}>
          <TraceDetailPanel
            traceId={selected}
            cluster={traces.cluster}
            onClose={() => setSelected(null)}
          />
        </Suspense>
      )}
    </>
  );
}
