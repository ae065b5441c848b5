import Grid from '@material-ui/core/Grid';
import type { ClusterMeshStatus } from '@ambient-mesh/plugin-istio-common';
import { GroupedDiagnosticsCard } from './GroupedDiagnosticsCard';
import { EnrollmentCard } from './EnrollmentCard';
import { MtlsPostureCard } from './MtlsPostureCard';
import { PoliciesCard } from './PoliciesCard';
import { TrafficManagementCard } from './TrafficManagementCard';
import { WaypointCard } from './WaypointCard';
import { ANCHORS } from '../summary/SummaryStrip';

/** The mesh status of the entity in one cluster. */
export function ClusterMeshView(props: {
  status: ClusterMeshStatus;
  /** Whether the parts carry the ids the summary chips jump to. */
  anchors?: boolean;
}) {
  const { status, anchors = true } = props;
  const id = (name: keyof typeof ANCHORS) =>
    anchors ? ANCHORS[name] : undefined;
  return (
    <Grid container spacing={2}>
      <Grid item xs={12} id={id('diagnostics')}>
        <GroupedDiagnosticsCard diagnostics={status.diagnostics} />
      </Grid>
      <Grid item xs={12} md={6} id={id('enrollment')}>
        <EnrollmentCard
          enrollment={status.enrollment}
          labelSelector={status.labelSelector}
        />
      </Grid>
      <Grid item xs={12} md={6}>
        <Grid container spacing={2} direction="column">
          <Grid item id={id('waypoint')}>
            <WaypointCard waypoint={status.waypoint} />
          </Grid>
          <Grid item id={id('mtls')}>
            <MtlsPostureCard mtls={status.mtls} />
          </Grid>
        </Grid>
      </Grid>
      <Grid item xs={12} id={id('policies')}>
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
