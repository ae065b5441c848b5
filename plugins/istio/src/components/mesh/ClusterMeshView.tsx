import Grid from '@material-ui/core/Grid';
import type { ClusterMeshStatus } from '@ambient-mesh/plugin-istio-common';
import { GroupedDiagnosticsCard } from './GroupedDiagnosticsCard';
import { EnrollmentCard } from './EnrollmentCard';
import { MtlsPostureCard } from './MtlsPostureCard';
import { PoliciesCard } from './PoliciesCard';
import { TrafficManagementCard } from './TrafficManagementCard';
import { WaypointCard } from './WaypointCard';

/** The mesh status of the entity in one cluster. */
export function ClusterMeshView(props: { status: ClusterMeshStatus }) {
  const { status } = props;
  return (
    <Grid container spacing={2}>
      <Grid item xs={12}>
        <GroupedDiagnosticsCard diagnostics={status.diagnostics} />
      </Grid>
      <Grid item xs={12} md={6}>
        <EnrollmentCard
          enrollment={status.enrollment}
          labelSelector={status.labelSelector}
        />
      </Grid>
      <Grid item xs={12} md={6}>
        <Grid container spacing={2} direction="column">
          <Grid item>
            <WaypointCard waypoint={status.waypoint} />
          </Grid>
          <Grid item>
            <MtlsPostureCard mtls={status.mtls} />
          </Grid>
        </Grid>
      </Grid>
      <Grid item xs={12}>
        <PoliciesCard policies={status.policies} />
      </Grid>
      {status.traffic && (
        <Grid item xs={12}>
          <TrafficManagementCard traffic={status.traffic} />
        </Grid>
      )}
    </Grid>
  );
}
