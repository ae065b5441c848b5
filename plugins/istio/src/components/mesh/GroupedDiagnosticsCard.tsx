import { InfoCard } from '@backstage/core-components';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import type { Diagnostic } from '@ambient-mesh/plugin-istio-common';
import { CARD_TITLE_PROPS } from '../shared/cardTitle';
import { StatusLabel } from '../shared/StatusLabel';
import { DiagnosticRow } from './DiagnosticsList';
import { groupDiagnostics } from './groupDiagnostics';

/**
 * What is wrong with the entity's mesh set-up: grouped by severity, most severe first,
 * and within a severity by the object each diagnostic is about; one line each, the
 * evidence and fix open on demand.
 */
export function GroupedDiagnosticsCard(props: { diagnostics: Diagnostic[] }) {
  const groups = groupDiagnostics(props.diagnostics);
  let rows = 0;
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
                <Box
                  component="ul"
                  m={0}
                  p={0}
                  style={{ listStyle: 'none' }}
                  aria-label={`Diagnostics of ${object.label}`}
                >
                  {object.diagnostics.map(d => (
                    <DiagnosticRow
                      key={`${d.id}-${rows}`}
                      diagnostic={d}
                      index={rows++}
                    />
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
