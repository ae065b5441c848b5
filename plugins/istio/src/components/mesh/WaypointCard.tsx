import { InfoCard } from '@backstage/core-components';
import { CARD_TITLE_PROPS } from '../shared/cardTitle';
import List from '@material-ui/core/List';
import ListItem from '@material-ui/core/ListItem';
import ListItemText from '@material-ui/core/ListItemText';
import Typography from '@material-ui/core/Typography';
import type {
  WaypointInUse,
  WaypointStatus,
} from '@ambient-mesh/plugin-istio-common';
import { StatusLabel } from '../shared/StatusLabel';

function Readiness(props: { waypoint: WaypointInUse }) {
  const { waypoint } = props;
  if (!waypoint.exists) {
    return (
      <StatusLabel level="error">
        Waypoint {waypoint.namespace}/{waypoint.name} does not exist
      </StatusLabel>
    );
  }
  if (!waypoint.ready) {
    const why = [
      !waypoint.accepted && 'not accepted',
      !waypoint.programmed &&
        `not programmed${
          waypoint.programmedReason ? ` (${waypoint.programmedReason})` : ''
        }`,
      waypoint.readyReplicas === 0 && 'no ready replica',
    ].filter(Boolean);
    return (
      <StatusLabel level="error">
        Waypoint {waypoint.namespace}/{waypoint.name} is not ready
        {why.length > 0 ? `: ${why.join(', ')}` : ''}
      </StatusLabel>
    );
  }
  return (
    <StatusLabel level="ok">
      Waypoint {waypoint.namespace}/{waypoint.name} is ready
    </StatusLabel>
  );
}

/** The waypoint serving the entity: readiness, binding of each Service, ingress. */
export function WaypointCard(props: { waypoint: WaypointStatus }) {
  const { waypoint } = props;
  if (waypoint.kind === 'none') {
    return (
      <InfoCard titleTypographyProps={CARD_TITLE_PROPS} title="Waypoint">
        <StatusLabel level="neutral">No waypoint</StatusLabel>
        <Typography variant="body2">
          Traffic is secured at L4 by ztunnel only: no L7 policies, no request
          metrics and no traces. Deploy a waypoint for the namespace (for
          example with the onboarding template) to get them.
        </Typography>
      </InfoCard>
    );
  }
  return (
    <InfoCard titleTypographyProps={CARD_TITLE_PROPS} title="Waypoint">
      <Readiness waypoint={waypoint} />
      <List dense>
        <ListItem>
          <ListItemText
            primary="Serves"
            secondary={`${waypoint.for} traffic (istio.io/waypoint-for)`}
          />
        </ListItem>
        <ListItem>
          <ListItemText
            primary="Selected by"
            secondary={`istio.io/use-waypoint on the ${waypoint.boundFrom}`}
          />
        </ListItem>
        <ListItem>
          <ListItemText
            primary="Addresses"
            secondary={
              waypoint.addresses.length > 0
                ? waypoint.addresses.join(', ')
                : 'none yet'
            }
          />
        </ListItem>
        <ListItem>
          <ListItemText
            primary="Ready replicas"
            secondary={String(waypoint.readyReplicas)}
          />
        </ListItem>
        <ListItem>
          <ListItemText
            primary="Ingress traffic"
            secondary={
              waypoint.ingressUsesWaypoint
                ? 'goes through the waypoint'
                : 'bypasses the waypoint (istio.io/ingress-use-waypoint is not set)'
            }
          />
        </ListItem>
      </List>
      <Typography variant="subtitle2" component="h4">
        Service binding
      </Typography>
      {waypoint.services.length === 0 ? (
        <Typography variant="body2">No Service selects these pods.</Typography>
      ) : (
        <List dense>
          {waypoint.services.map(s => (
            <ListItem key={s.service}>
              <StatusLabel level={s.status === 'True' ? 'ok' : 'warning'}>
                {s.service}:{' '}
                {s.status === 'True'
                  ? 'bound'
                  : `not bound${s.reason ? ` (${s.reason})` : ''}`}
                {s.message ? ` - ${s.message}` : ''}
              </StatusLabel>
            </ListItem>
          ))}
        </List>
      )}
    </InfoCard>
  );
}
