import { InfoCard } from '@backstage/core-components';
import { CARD_TITLE_PROPS } from '../shared/cardTitle';
import LinearProgress from '@material-ui/core/LinearProgress';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import type { ClusterMetrics } from '@ambient-mesh/plugin-istio-common';
import { formatPercent, formatRate } from '../../utils/format';

/** Who calls the entity: traffic by source workload, largest first. */
export function CallersCard(props: { metrics: ClusterMetrics }) {
  const { metrics } = props;
  const unit = metrics.layer === 'L7' ? 'Requests' : 'Connections';
  const traffic = [...metrics.traffic].sort((a, b) => b.value - a.value);
  const total = traffic.reduce((sum, t) => sum + t.value, 0);
  return (
    <InfoCard
      titleTypographyProps={CARD_TITLE_PROPS}
      title="Callers"
      subheader={`Traffic by source workload over ${metrics.window}`}
    >
      {traffic.length === 0 ? (
        <Typography variant="body2">
          No caller seen over the last {metrics.window}. Send traffic to the
          service, or pick a longer window.
        </Typography>
      ) : (
        <Table size="small" aria-label="Traffic by source workload">
          <TableHead>
            <TableRow>
              <TableCell component="th" scope="col">
                Source workload
              </TableCell>
              <TableCell component="th" scope="col">
                Namespace
              </TableCell>
              <TableCell component="th" scope="col" align="right">
                {unit}/s
              </TableCell>
              <TableCell component="th" scope="col" style={{ minWidth: 72 }}>
                Share
              </TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {traffic.map(t => {
              const share = total > 0 ? t.value / total : 0;
              return (
                <TableRow key={`${t.sourceNamespace}/${t.sourceWorkload}`}>
                  <TableCell>{t.sourceWorkload}</TableCell>
                  <TableCell>{t.sourceNamespace}</TableCell>
                  <TableCell align="right">{formatRate(t.value)}</TableCell>
                  <TableCell>
                    {formatPercent(share)}
                    <LinearProgress
                      variant="determinate"
                      value={Math.round(share * 100)}
                      aria-label={`Share of traffic from ${t.sourceWorkload}`}
                    />
                  </TableCell>
                </TableRow>
              );
            })}
          </TableBody>
        </Table>
      )}
    </InfoCard>
  );
}
