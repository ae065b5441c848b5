import { InfoCard } from '@backstage/core-components';
import { CARD_TITLE_PROPS } from '../shared/cardTitle';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import type { Diagnostic } from '@ambient-mesh/plugin-istio-common';
import { StatusLabel } from '../shared/StatusLabel';
import { DiagnosticFix } from './DiagnosticFix';
import { SEVERITY_LEVEL, sortDiagnostics } from './labels';

function DiagnosticItem(props: { diagnostic: Diagnostic; first: boolean }) {
  const { diagnostic, first } = props;
  return (
    <Box
      component="li"
      py={2}
      borderTop={first ? 0 : 1}
      borderColor="divider"
      style={{ listStyle: 'none' }}
    >
      <Typography variant="subtitle1" component="h4">
        <StatusLabel level={SEVERITY_LEVEL[diagnostic.severity]}>
          {diagnostic.title}
        </StatusLabel>
      </Typography>
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

/** What is wrong with the entity's mesh set-up, most severe first, with fixes. */
export function DiagnosticsCard(props: { diagnostics: Diagnostic[] }) {
  const diagnostics = sortDiagnostics(props.diagnostics);
  return (
    <InfoCard titleTypographyProps={CARD_TITLE_PROPS} title="Diagnostics">
      {diagnostics.length === 0 ? (
        <StatusLabel level="ok">Nothing to fix: no problem found</StatusLabel>
      ) : (
        <Box component="ul" m={0} p={0}>
          {diagnostics.map((d, i) => (
            <DiagnosticItem
              key={`${d.id}-${i}`}
              diagnostic={d}
              first={i === 0}
            />
          ))}
        </Box>
      )}
    </InfoCard>
  );
}
