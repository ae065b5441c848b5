import Box from '@material-ui/core/Box';
import { makeStyles } from '@material-ui/core/styles';

const useStyles = makeStyles(theme => ({
  '@keyframes istioPulse': {
    '0%': { opacity: 1 },
    '50%': { opacity: 0.4 },
    '100%': { opacity: 1 },
  },
  block: {
    background: theme.palette.action.hover,
    borderRadius: theme.shape.borderRadius,
    animation: '$istioPulse 1.5s ease-in-out infinite',
  },
}));

/**
 * A grey placeholder of a fixed height, shown while a part of the tab loads,
 * so the page does not jump when the content arrives. Hidden from assistive
 * technology (the section's progress bar speaks for it).
 */
export function Skeleton(props: { height: number; lines?: number }) {
  const { height, lines = 1 } = props;
  const classes = useStyles();
  return (
    <Box aria-hidden="true" data-testid="istio-skeleton">
      {Array.from({ length: lines }, (_, i) => (
        <Box
          key={i}
          className={classes.block}
          height={lines > 1 ? height / lines - 8 : height}
          mb={lines > 1 ? 1 : 0}
        />
      ))}
    </Box>
  );
}
