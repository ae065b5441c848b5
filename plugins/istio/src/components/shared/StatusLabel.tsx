import type { ReactNode } from 'react';
import {
  StatusError,
  StatusOK,
  StatusPending,
  StatusWarning,
} from '@backstage/core-components';
import { makeStyles } from '@material-ui/core/styles';

/** How good a fact is: drives the colour and icon of {@link StatusLabel}. */
export type StatusLevel = 'ok' | 'warning' | 'error' | 'neutral';

const SPOKEN: Record<StatusLevel, string> = {
  ok: 'OK',
  warning: 'Warning',
  error: 'Error',
  neutral: 'Info',
};

const useStyles = makeStyles({
  root: { display: 'inline-flex', alignItems: 'baseline' },
  visuallyHidden: {
    position: 'absolute',
    width: 1,
    height: 1,
    margin: -1,
    padding: 0,
    overflow: 'hidden',
    clip: 'rect(0 0 0 0)',
    whiteSpace: 'nowrap',
    border: 0,
  },
});

function Icon(props: { level: StatusLevel }) {
  switch (props.level) {
    case 'ok':
      return <StatusOK />;
    case 'warning':
      return <StatusWarning />;
    case 'error':
      return <StatusError />;
    default:
      return <StatusPending />;
  }
}

/**
 * A status icon followed by its text. The core Status components hide their
 * content from assistive technology, so the icon stays decorative here and
 * the level is spoken as a hidden prefix ("Warning: ...").
 */
export function StatusLabel(props: {
  level: StatusLevel;
  children: ReactNode;
}) {
  const { level, children } = props;
  const classes = useStyles();
  return (
    <span className={classes.root}>
      <Icon level={level} />
      <span className={classes.visuallyHidden}>{SPOKEN[level]}: </span>
      <span>{children}</span>
    </span>
  );
}
