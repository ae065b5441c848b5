import { useState } from 'react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import type { Diagnostic } from '@ambient-mesh/plugin-istio-common';
import { StatusLabel } from '../shared/StatusLabel';
import { DiagnosticFix } from './DiagnosticFix';
import { SEVERITY_LEVEL, sortDiagnostics } from './labels';

const useStyles = makeStyles(theme => ({
  list: { margin: 0, padding: 0, listStyle: 'none' },
  item: {
    borderTop: `1px solid ${theme.palette.divider}`,
    '&:first-child': { borderTop: 0 },
  },
  line: {
    display: 'flex',
    alignItems: 'center',
    gap: theme.spacing(1),
    minHeight: 36,
  },
  title: { flexShrink: 0, fontWeight: 500, margin: 0 },
  message: {
    flex: 1,
    minWidth: 0,
    overflow: 'hidden',
    textOverflow: 'ellipsis',
    whiteSpace: 'nowrap',
    color: theme.palette.text.secondary,
  },
  details: { padding: theme.spacing(0, 0, 2, 4) },
}));

/** One diagnostic on one line; the evidence and fix open on demand. */
export function DiagnosticRow(props: {
  diagnostic: Diagnostic;
  index: number;
}) {
  const { diagnostic, index } = props;
  const classes = useStyles();
  const [open, setOpen] = useState(false);
  const detailsId = `istio-diagnostic-${index}-details`;
  let buttonText = 'Evidence';
  if (open) buttonText = 'Hide';
  else if (diagnostic.fix) buttonText = 'Evidence and fix';
  return (
    <li className={classes.item}>
      <div className={classes.line}>
        <Typography variant="body2" component="h4" className={classes.title}>
          <StatusLabel level={SEVERITY_LEVEL[diagnostic.severity]}>
            {diagnostic.title}
          </StatusLabel>
        </Typography>
        <Typography
          variant="body2"
          component="span"
          className={classes.message}
          title={diagnostic.message}
        >
          {diagnostic.message}
        </Typography>
        <Button
          size="small"
          aria-expanded={open}
          aria-controls={open ? detailsId : undefined}
          aria-label={`${buttonText} of ${diagnostic.title}`}
          onClick={() => setOpen(o => !o)}
        >
          {buttonText}
        </Button>
      </div>
      {open && (
        <Box id={detailsId} className={classes.details}>
          <Typography variant="body2" paragraph>
            {diagnostic.message}
          </Typography>
          {diagnostic.object?.field && (
            <Typography variant="caption" component="p">
              Field: <code>{diagnostic.object.field}</code>
            </Typography>
          )}
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
      )}
    </li>
  );
}

/**
 * Diagnostics as a compact list, most severe first, one line each; the
 * evidence and the fix (YAML, command or template) open on demand.
 */
export function DiagnosticsList(props: { diagnostics: Diagnostic[] }) {
  const classes = useStyles();
  const diagnostics = sortDiagnostics(props.diagnostics);
  if (diagnostics.length === 0) {
    return (
      <StatusLabel level="ok">Nothing to fix: no problem found</StatusLabel>
    );
  }
  return (
    <ul className={classes.list} aria-label="Diagnostics, most severe first">
      {diagnostics.map((d, i) => (
        <DiagnosticRow key={`${d.id}-${i}`} diagnostic={d} index={i} />
      ))}
    </ul>
  );
}
