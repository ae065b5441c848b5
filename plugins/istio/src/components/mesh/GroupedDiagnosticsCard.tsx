import { InfoCard } from '@backstage/core-components';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import type { Diagnostic } from '@ambient-mesh/plugin-istio-common';
import { CARD_TITLE_PROPS } from '../shared/cardTitle';
import { StatusLabel } from '../shared/StatusLabel';
import { DiagnosticFix } from './DiagnosticFix';
import { groupDiagnostics } from './groupDiagnostics';
import { SEVERITY_LEVEL } from './labels';

function Item(props: { diagnostic: Diagnostic; first: boolean }) {
  const { diagnostic, first } = props;
  return (
    <Box
      component="li"
      py={1.5}
      borderTop={first ? 0 : 1}
      borderColor="divider"
      style={{ listStyle: 'none' }}
    >
      <Typography variant="subtitle1" component="h4">
        <StatusLabel level={SEVERITY_LEVEL[diagnostic.severity]}>
          {diagnostic.title}
        </StatusLabel>
      </Typography>
      {diagnostic.object?.field && (
        <Typography variant="caption" component="p">
          Field: <code>{diagnostic.object.field}</code>
        </Typography>
      )}
      <Typography variant="body2" paragraph>
        {diagnostic.message}
      </Typography>
      {diagnostic.evidence.length > 0 && (
        <>
          <Typography variant="caption" component="p">
            Evidence
          </Typography>
          <ul>
            {diagnostic.evidence.map(e => (
              <li key={e}>
                <Typography variant="body2" component="span">
                  {e}
                </Typography>
              </li>
            ))}
          </ul>
        </>
      )}
      {diagnostic.fix && <DiagnosticFix fix={diagnostic.fix} />}
    </Box>
  );
}

/**
 * What is wrong with the entity's mesh set-up: grouped by severity, most severe first,
 * and within a severity by the object each diagnostic is about, with its fix.
 */
export function GroupedDiagnosticsCard(props: { diagnostics: Diagnostic[] }) {
  const groups = groupDiagnostics(props.diagnostics);
  return (
    <InfoCard titleTypographyProps={CARD_TITLE_PROPS} title="Diagnostics">
      {groups.length === 0 ? (
        <StatusLabel level="ok">Nothing to fix: no problem found</StatusLabel>
      ) : (
        groups.map(group => (
          <Box
            component="section"
            aria-label={`${group.label} (${group.count})`}
            key={group.severity}
            mb={2}
          >
            <Typography variant="overline" component="p">
              {group.label} ({group.count})
            </Typography>
            {group.objects.map(object => (
              <Box
                key={object.label}
                role="group"
                aria-label={object.label}
                pl={2}
                mb={1}
                borderLeft={3}
                borderColor="divider"
              >
                <Typography variant="subtitle2" component="p">
                  {object.label}
                </Typography>
                <Box component="ul" m={0} p={0}>
                  {object.diagnostics.map((d, i) => (
                    <Item key={`${d.id}-${i}`} diagnostic={d} first={i === 0} />
                  ))}
                </Box>
              </Box>
            ))}
          </Box>
        ))
      )}
    </InfoCard>
  );
}
