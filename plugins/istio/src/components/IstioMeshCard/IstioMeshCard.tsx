import { InfoCard } from '@backstage/core-components';
import List from '@material-ui/core/List';
import ListItem from '@material-ui/core/ListItem';
import Typography from '@material-ui/core/Typography';
import type { ClusterMeshStatus } from '@ambient-mesh/plugin-istio-common';
import {
  MTLS_GRADE_DISPLAY,
  SEVERITY_LEVEL,
  worstDiagnostic,
} from '../mesh/labels';
import { useMesh } from '../mesh/useMesh';
import { AsyncSection } from '../shared/AsyncSection';
import { ClusterResults } from '../shared/ClusterResults';
import { StatusLabel } from '../shared/StatusLabel';

function ClusterSummary(props: { status: ClusterMeshStatus }) {
  const { enrollment, waypoint, mtls, diagnostics } = props.status;
  const total = enrollment.pods.length;
  const captured = enrollment.podCounts.captured;
  const inMesh =
    enrollment.mode === 'ambient' && total > 0 && captured === total;
  const grade = MTLS_GRADE_DISPLAY[mtls.grade];
  const worst = worstDiagnostic(diagnostics);
  let waypointText = 'No waypoint (L4 only)';
  let waypointLevel: 'ok' | 'error' | 'neutral' = 'neutral';
  if (waypoint.kind === 'waypoint') {
    waypointText = `Waypoint ${waypoint.name} ${
      waypoint.ready ? 'ready' : 'not ready'
    }`;
    waypointLevel = waypoint.ready ? 'ok' : 'error';
  }
  return (
    <List dense disablePadding>
      <ListItem disableGutters>
        <StatusLabel level={inMesh ? 'ok' : 'error'}>
          {inMesh ? 'In the mesh' : 'Not fully in the mesh'}: {captured}/{total}{' '}
          pods captured
        </StatusLabel>
      </ListItem>
      <ListItem disableGutters>
        <StatusLabel level={waypointLevel}>{waypointText}</StatusLabel>
      </ListItem>
      <ListItem disableGutters>
        <StatusLabel level={grade.level}>mTLS: {grade.label}</StatusLabel>
      </ListItem>
      <ListItem disableGutters>
        {worst ? (
          <StatusLabel level={SEVERITY_LEVEL[worst.severity]}>
            {worst.title}
            {diagnostics.length > 1
              ? ` (and ${diagnostics.length - 1} more)`
              : ''}
          </StatusLabel>
        ) : (
          <StatusLabel level="ok">No problem found</StatusLabel>
        )}
      </ListItem>
    </List>
  );
}

/**
 * A summary of the entity's mesh status for its overview page: in the mesh or
 * not, captured pods, waypoint, mTLS grade and the worst diagnostic.
 *
 * @public
 */
export function IstioMeshCard() {
  const state = useMesh();
  return (
    <InfoCard title="Service mesh" titleTypographyProps={{ component: 'h2' }}>
      <AsyncSection state={state} title="the mesh status">
        {response =>
          response.clusters.length === 0 ? (
            <Typography variant="body2">
              No configured cluster runs this entity.
            </Typography>
          ) : (
            <ClusterResults
              results={response.clusters}
              what="the mesh status"
              headingLevel="h4"
            >
              {status => <ClusterSummary status={status} />}
            </ClusterResults>
          )
        }
      </AsyncSection>
    </InfoCard>
  );
}
