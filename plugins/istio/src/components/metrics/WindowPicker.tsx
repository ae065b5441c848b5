import TextField from '@material-ui/core/TextField';
import { makeStyles } from '@material-ui/core/styles';

const useStyles = makeStyles(theme => ({
  // The default label grey is too faint on the page background
  label: { color: theme.palette.text.primary },
}));

/** Rate windows offered for the current values. */
export const RATE_WINDOWS = ['1m', '5m', '15m', '1h'] as const;

/** Ranges offered for the sparklines. */
export const SPARKLINE_RANGES = ['15m', '1h', '6h', '24h'] as const;

/** A labelled native select of durations such as `5m`. */
export function DurationPicker(props: {
  id: string;
  label: string;
  value: string;
  options: readonly string[];
  onChange: (value: string) => void;
}) {
  const { id, label, value, options, onChange } = props;
  const classes = useStyles();
  return (
    <TextField
      id={id}
      select
      label={label}
      value={value}
      onChange={e => onChange(e.target.value)}
      SelectProps={{ native: true }}
      InputLabelProps={{ className: classes.label }}
      style={{ minWidth: 160 }}
    >
      {options.map(o => (
        <option key={o} value={o}>
          {o}
        </option>
      ))}
    </TextField>
  );
}
