import { InfoCard, Table } from '@backstage/core-components';
import { CARD_TITLE_PROPS } from '../shared/cardTitle';
import type { TableColumn } from '@backstage/core-components';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import type {
  AppliedPolicy,
  PolicySummary,
} from '@ambient-mesh/plugin-istio-common';
import { StatusLabel } from '../shared/StatusLabel';

function acceptance(policy: AppliedPolicy) {
  const refused = policy.conditions.filter(c => c.status !== 'True');
  if (policy.conditions.length === 0) {
    return <StatusLabel level="neutral">No status</StatusLabel>;
  }
  if (refused.length > 0) {
    return (
      <StatusLabel level="error">
        {refused.map(c => `${c.type}: ${c.reason ?? c.status}`).join('; ')}
      </StatusLabel>
    );
  }
  return <StatusLabel level="ok">Accepted</StatusLabel>;
}

const columns: TableColumn<AppliedPolicy>[] = [
  { title: 'Kind', field: 'kind' },
  {
    title: 'Name',
    field: 'name',
    render: p => `${p.namespace}/${p.name}`,
  },
  { title: 'Action', field: 'action', emptyValue: '-' },
  { title: 'Scope', field: 'scope' },
  { title: 'Enforced by', field: 'enforcer' },
  { title: 'Layer', field: 'layer' },
  { title: 'Rules', field: 'summary' },
  { title: 'Status', render: acceptance },
];

/** The policies that apply to the entity, who enforces each, and default deny. */
export function PoliciesCard(props: { policies: PolicySummary }) {
  const { policies } = props;
  return (
    <InfoCard titleTypographyProps={CARD_TITLE_PROPS} title="Policies">
      <Box mb={2}>
        {policies.defaultDeny ? (
          <StatusLabel level="ok">
            Default deny: an allow-nothing AuthorizationPolicy applies
          </StatusLabel>
        ) : (
          <StatusLabel level="warning">
            No default deny: every caller is allowed unless a policy says
            otherwise
          </StatusLabel>
        )}
      </Box>
      {policies.items.length === 0 ? (
        <Typography variant="body2">
          No AuthorizationPolicy, RequestAuthentication or PeerAuthentication
          applies. Apply zero-trust policies with the mesh policy template.
        </Typography>
      ) : (
        <Table<AppliedPolicy>
          title="Applied policies"
          columns={columns}
          data={policies.items}
          options={{
            paging: false,
            search: false,
            sorting: false,
            toolbar: false,
            padding: 'dense',
          }}
        />
      )}
    </InfoCard>
  );
}
