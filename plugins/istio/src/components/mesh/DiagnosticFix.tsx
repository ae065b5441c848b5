import { CodeSnippet } from '@backstage/core-components';
import { ButtonLink } from '@backstage/ui';
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
        <ButtonLink href={templateFixUrl(fix)} variant="primary">
          Fix with template {name}
        </ButtonLink>
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
