import FormControlLabel from '@material-ui/core/FormControlLabel';
import IconButton from '@material-ui/core/IconButton';
import Switch from '@material-ui/core/Switch';
import Tooltip from '@material-ui/core/Tooltip';
import RefreshIcon from '@material-ui/icons/Refresh';

/** A "refresh now" button and an auto-refresh switch. */
export function RefreshControls(props: {
  autoRefresh: boolean;
  intervalSeconds: number;
  onAutoRefreshChange: (on: boolean) => void;
  onRefresh: () => void;
}) {
  const { autoRefresh, intervalSeconds, onAutoRefreshChange, onRefresh } =
    props;
  return (
    <>
      <FormControlLabel
        control={
          <Switch
            checked={autoRefresh}
            onChange={e => onAutoRefreshChange(e.target.checked)}
            color="primary"
          />
        }
        label={`Auto-refresh every ${intervalSeconds} s`}
      />
      <Tooltip title="Refresh now">
        <IconButton aria-label="Refresh now" onClick={onRefresh}>
          <RefreshIcon />
        </IconButton>
      </Tooltip>
    </>
  );
}
