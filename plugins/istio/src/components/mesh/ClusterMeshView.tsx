import Grid from '@material-ui/core/Grid';
import type { ClusterMeshStatus } from '@ambient-mesh/plugin-istio-common';
import { DiagnosticsCard } from './DiagnosticsCard';
import { EnrollmentCard } from './EnrollmentCard';
import { MtlsPostureCard } from './MtlsPostureCard';
import { PoliciesCard } from './PoliciesCard';
import { WaypointCard } from './WaypointCard';

/** The mesh status of the entity in one cluster. */
export function ClusterMeshView(props: { status: ClusterMeshStatus }) {
  const { status } = props;
  return (
    <Grid container spacing={2}>
      <Grid item xs={12}>
        <DiagnosticsCard diagnostics={status.diagnostics} />
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
    </Grid>
  );
}
