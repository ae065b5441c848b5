import { InfoCard, Table } from '@backstage/core-components';
import type { TableColumn } from '@backstage/core-components';
import Typography from '@material-ui/core/Typography';
import type {
  TrafficManagement,
  TrafficRule,
} from '@ambient-mesh/plugin-istio-common';
import { CARD_TITLE_PROPS } from '../shared/cardTitle';
import { StatusLabel, StatusLevel } from '../shared/StatusLabel';

const STATUS_LEVEL: Record<TrafficRule['status'], StatusLevel> = {
  ok: 'ok',
  ignored: 'warning',
  error: 'error',
};

const ENFORCER_LABEL: Record<TrafficRule['enforcer'], string> = {
  waypoint: 'Waypoint',
  gateway: 'Gateway',
  nobody: 'Nobody',
};

const columns: TableColumn<TrafficRule>[] = [
  { title: 'Kind', field: 'kind' },
  { title: 'Name', render: r => `${r.namespace}/${r.name}` },
  { title: 'Applies to', render: r => r.targets.join(', ') || '-' },
  {
    title: 'Enforced by',
    render: r =>
      r.enforcedBy
        ? `${ENFORCER_LABEL[r.enforcer]} ${r.enforcedBy}`
        : ENFORCER_LABEL[r.enforcer],
  },
  {
    title: 'Status',
    render: r => (
      <StatusLabel level={STATUS_LEVEL[r.status]}>
        {r.statusMessage}
      </StatusLabel>
    ),
  },
];

function TrafficBody(props: { traffic: TrafficManagement }) {
  const { traffic } = props;
  if (traffic.unavailable) {
    return (
      <StatusLabel level="warning">
        Routes could not be read: {traffic.unavailable}
      </StatusLabel>
    );
  }
  if (traffic.rules.length === 0) {
    return (
      <Typography variant="body2">
        No VirtualService, HTTPRoute, GRPCRoute or DestinationRule applies to
        this service.
      </Typography>
    );
  }
  return (
    <Table<TrafficRule>
      title="Routes and destination rules"
      columns={columns}
      data={traffic.rules}
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

/**
 * The routes (VirtualService, HTTPRoute, GRPCRoute) and DestinationRules that apply to
 * the entity's services, who enforces each (in ambient mode only a waypoint applies
 * mesh routes), and whether it takes effect.
 */
export function TrafficManagementCard(props: { traffic: TrafficManagement }) {
  const { traffic } = props;
  return (
    <InfoCard
      titleTypographyProps={CARD_TITLE_PROPS}
      title="Traffic management"
    >
      <TrafficBody traffic={traffic} />
    </InfoCard>
  );
}
