import { InfoCard } from '@backstage/core-components';
import { CARD_TITLE_PROPS } from '../shared/cardTitle';
import Box from '@material-ui/core/Box';
import LinearProgress from '@material-ui/core/LinearProgress';
import List from '@material-ui/core/List';
import ListItem from '@material-ui/core/ListItem';
import Typography from '@material-ui/core/Typography';
import type {
  ConfiguredMtls,
  MtlsPosture,
} from '@ambient-mesh/plugin-istio-common';
import { formatPercent, formatRate } from '../../utils/format';
import { StatusLabel } from '../shared/StatusLabel';
import { MTLS_GRADE_DISPLAY } from './labels';

function configuredText(configured: ConfiguredMtls): string {
  const mode = configured.mode === 'UNSET' ? 'not set' : configured.mode;
  if (configured.source === 'default') {
    return `${mode}: no PeerAuthentication sets a mode, so plaintext is accepted`;
  }
  const resource = configured.resource
    ? ` ${configured.resource.namespace}/${configured.resource.name}`
    : '';
  return `${mode} from the ${configured.source} PeerAuthentication${resource}`;
}

/** The mTLS posture: configured mode against the share observed, and the grade. */
export function MtlsPostureCard(props: { mtls: MtlsPosture }) {
  const { mtls } = props;
  const grade = MTLS_GRADE_DISPLAY[mtls.grade];
  const strict = mtls.configured.mode === 'STRICT';
  const portLevel = Object.entries(mtls.configured.portLevel ?? {});
  return (
    <InfoCard titleTypographyProps={CARD_TITLE_PROPS} title="mTLS posture">
      <Box mb={2}>
        <Typography variant="h6" component="p">
          <StatusLabel level={grade.level}>Grade: {grade.label}</StatusLabel>
        </Typography>
      </Box>
      <Typography variant="subtitle2" component="h4">
        Configured
      </Typography>
      <Box mb={2}>
        <StatusLabel level={strict ? 'ok' : 'warning'}>
          {configuredText(mtls.configured)}
        </StatusLabel>
        {portLevel.length > 0 && (
          <Typography variant="body2">
            Port overrides:{' '}
            {portLevel.map(([port, mode]) => `${port}: ${mode}`).join(', ')}
          </Typography>
        )}
      </Box>
      <Typography variant="subtitle2" component="h4">
        Observed
      </Typography>
      {mtls.observedShare === null ? (
        <Typography variant="body2">
          Not measured yet: no inbound connection in the metrics window.
        </Typography>
      ) : (
        <Box mb={1}>
          <Typography variant="body2">
            {formatPercent(mtls.observedShare)} of inbound connections use mTLS
          </Typography>
          <LinearProgress
            variant="determinate"
            value={Math.round(mtls.observedShare * 100)}
            aria-label="Share of inbound connections using mTLS"
          />
        </Box>
      )}
      {mtls.plaintextSources.length > 0 && (
        <>
          <Typography variant="subtitle2" component="h4">
            Plaintext callers
          </Typography>
          <List dense>
            {mtls.plaintextSources.map(s => (
              <ListItem key={`${s.sourceNamespace}/${s.sourceWorkload}`}>
                <StatusLabel level="warning">
                  {s.sourceNamespace}/{s.sourceWorkload}:{' '}
                  {formatRate(s.connectionsPerSecond)} connections
                </StatusLabel>
              </ListItem>
            ))}
          </List>
        </>
      )}
    </InfoCard>
  );
}
