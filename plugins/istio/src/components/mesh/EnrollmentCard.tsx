import { InfoCard, Table } from '@backstage/core-components';
import { CARD_TITLE_PROPS } from '../shared/cardTitle';
import type { TableColumn } from '@backstage/core-components';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import {
  POD_CAPTURE_STATES,
  type Enrollment,
  type PodCapture,
} from '@ambient-mesh/plugin-istio-common';
import { StatusLabel } from '../shared/StatusLabel';
import { CAPTURE_STATE_DISPLAY } from './labels';

const columns: TableColumn<PodCapture>[] = [
  { title: 'Pod', field: 'name' },
  { title: 'Node', field: 'node', emptyValue: '-' },
  { title: 'Phase', field: 'phase', emptyValue: '-' },
  {
    title: 'Capture',
    field: 'state',
    render: pod => (
      <StatusLabel level={CAPTURE_STATE_DISPLAY[pod.state].level}>
        {CAPTURE_STATE_DISPLAY[pod.state].label}
      </StatusLabel>
    ),
  },
];

function NamespaceMode(props: { enrollment: Enrollment }) {
  const { enrollment } = props;
  if (!enrollment.namespaceExists) {
    return (
      <StatusLabel level="error">
        Namespace {enrollment.namespace} does not exist in this cluster
      </StatusLabel>
    );
  }
  switch (enrollment.mode) {
    case 'ambient':
      return (
        <StatusLabel level="ok">
          Namespace {enrollment.namespace} is enrolled in ambient mode
        </StatusLabel>
      );
    case 'sidecar':
      return (
        <StatusLabel level="warning">
          Namespace {enrollment.namespace} uses sidecar injection
          {enrollment.revision ? ` (revision ${enrollment.revision})` : ''}
        </StatusLabel>
      );
    default:
      return (
        <StatusLabel level="error">
          Namespace {enrollment.namespace} is not in the mesh
        </StatusLabel>
      );
  }
}

/** Namespace enrollment and the capture state of every pod of the entity. */
export function EnrollmentCard(props: {
  enrollment: Enrollment;
  labelSelector?: string;
}) {
  const { enrollment, labelSelector } = props;
  const total = enrollment.pods.length;
  const captured = enrollment.podCounts.captured;
  const others = POD_CAPTURE_STATES.filter(
    s => s !== 'captured' && enrollment.podCounts[s] > 0,
  );
  return (
    <InfoCard titleTypographyProps={CARD_TITLE_PROPS} title="Enrollment">
      <Box mb={2}>
        <NamespaceMode enrollment={enrollment} />
        <Typography variant="body1">
          <strong>
            {captured} of {total}
          </strong>{' '}
          pods captured by ztunnel
          {others.length > 0 &&
            ` (${others
              .map(
                s =>
                  `${enrollment.podCounts[s]} ${CAPTURE_STATE_DISPLAY[
                    s
                  ].label.toLocaleLowerCase('en-US')}`,
              )
              .join(', ')})`}
        </Typography>
      </Box>
      {total === 0 ? (
        <Typography variant="body2">
          No pod matches{' '}
          {labelSelector ? <code>{labelSelector}</code> : 'the entity'} in
          namespace {enrollment.namespace}. Check that the workloads carry the
          label named by the entity's Kubernetes annotations, and that they run.
        </Typography>
      ) : (
        <Table<PodCapture>
          title="Pods"
          columns={columns}
          data={enrollment.pods}
          options={{
            paging: total > 20,
            pageSize: 20,
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
