import { CodeSnippet, LinkButton } from '@backstage/core-components';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { parseEntityRef } from '@backstage/catalog-model';
import type { DiagnosticFix as Fix } from '@ambient-mesh/plugin-istio-common';
import { templateFixUrl } from '../../utils/templateFixUrl';

/**
 * The fix of a diagnostic: a button opening the template prefilled, or the
 * exact YAML or command in a copyable block (without syntax colours, whose
 * contrast on the light theme is too low to read).
 */
export function DiagnosticFix(props: { fix: Fix }) {
  const { fix } = props;
  switch (fix.kind) {
    case 'template': {
      const { name } = parseEntityRef(fix.templateRef, {
        defaultKind: 'template',
        defaultNamespace: 'default',
      });
      return (
        <LinkButton
          to={templateFixUrl(fix)}
          variant="contained"
          color="primary"
        >
          Fix with template {name}
        </LinkButton>
      );
    }
    case 'yaml':
      return (
        <Box>
          <Typography variant="subtitle2" component="p">
            Apply this YAML:
          </Typography>
          <CodeSnippet
            text={fix.yaml}
            language="plaintext"
            showCopyCodeButton
          />
        </Box>
      );
    case 'command':
      return (
        <Box>
          <Typography variant="subtitle2" component="p">
            Run this command:
          </Typography>
          <CodeSnippet
            text={fix.command}
            language="plaintext"
            showCopyCodeButton
          />
        </Box>
      );
    default:
      return null;
  }
}
