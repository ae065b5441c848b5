import { Table } from '@backstage/core-components';
import { Link } from '@backstage/ui';
import type { TableColumn } from '@backstage/core-components';
import Typography from '@material-ui/core/Typography';
import type {
  ClusterTraces,
  TraceSummary,
} from '@ambient-mesh/plugin-istio-common';
import { formatMs } from '../../utils/format';
import { StatusLabel } from '../shared/StatusLabel';

const KIND_TITLES: Record<ClusterTraces['kind'], string> = {
  recent: 'Recent traces',
  slow: 'Slowest traces',
  errors: 'Traces with errors',
};

const columns: TableColumn<TraceSummary>[] = [
  {
    title: 'Trace',
    field: 'traceId',
    render: t =>
      t.link ? (
        <Link
          href={t.link}
          target="_blank"
          rel="noopener noreferrer"
          aria-label={`Open trace ${t.traceId}`}
        >
          {t.traceId.slice(0, 16)}
        </Link>
      ) : (
        <code>{t.traceId.slice(0, 16)}</code>
      ),
  },
  {
    title: 'Root span',
    field: 'rootTraceName',
    render: t => `${t.rootServiceName}: ${t.rootTraceName}`,
  },
  {
    title: 'Request',
    field: 'path',
    render: t =>
      t.method || t.path ? `${t.method ?? ''} ${t.path ?? ''}`.trim() : '-',
  },
  {
    title: 'Started',
    field: 'start',
    render: t => new Date(t.start).toLocaleString(),
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
        {t.statusCode ?? (t.error ? 'error' : 'ok')}
      </StatusLabel>
    ),
  },
];

/** The traces of one cluster, or why there are none. */
export function TracesTable(props: { traces: ClusterTraces }) {
  const { traces } = props;
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
  return (
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
  );
}
