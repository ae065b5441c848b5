import { Fragment, useState } from 'react';
import { Link } from '@backstage/ui';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import type { TraceDetail, TraceSpan } from '@ambient-mesh/plugin-istio-common';
import { formatMs } from '../../utils/format';
import { StatusLabel } from '../shared/StatusLabel';

const useStyles = makeStyles(theme => ({
  row: {
    display: 'grid',
    gridTemplateColumns: 'minmax(240px, 36%) 1fr 80px',
    alignItems: 'center',
    gap: theme.spacing(1),
    width: '100%',
    padding: theme.spacing(0.25, 0.5),
    border: 0,
    background: 'none',
    color: theme.palette.text.primary,
    textAlign: 'left',
    font: 'inherit',
    cursor: 'pointer',
    borderBottom: `1px solid ${theme.palette.divider}`,
    '&:hover, &:focus': { background: theme.palette.action.hover },
  },
  name: {
    overflow: 'hidden',
    textOverflow: 'ellipsis',
    whiteSpace: 'nowrap',
  },
  track: { position: 'relative', height: 14 },
  bar: {
    position: 'absolute',
    top: 0,
    height: 14,
    minWidth: 2,
    borderRadius: 2,
    background: theme.palette.primary.main,
  },
  error: { background: theme.palette.error.main },
  attributes: {
    margin: theme.spacing(0.5, 0, 1, 3),
    display: 'grid',
    gridTemplateColumns: 'max-content 1fr',
    columnGap: theme.spacing(2),
    fontSize: 12,
    '& dt': { color: theme.palette.text.primary, fontWeight: 500 },
    '& dd': { margin: 0, wordBreak: 'break-all' },
  },
}));

/** Each span with its depth under its parent, in tree order (children after their parent, by start). */
export function spanTree(
  spans: TraceSpan[],
): Array<{ span: TraceSpan; depth: number }> {
  const ids = new Set(spans.map(s => s.spanId));
  const children = new Map<string, TraceSpan[]>();
  const roots: TraceSpan[] = [];
  for (const s of spans) {
    if (s.parentSpanId && ids.has(s.parentSpanId)) {
      const list = children.get(s.parentSpanId) ?? [];
      list.push(s);
      children.set(s.parentSpanId, list);
    } else {
      roots.push(s);
    }
  }
  const out: Array<{ span: TraceSpan; depth: number }> = [];
  const visit = (s: TraceSpan, depth: number) => {
    out.push({ span: s, depth });
    for (const c of children.get(s.spanId) ?? []) visit(c, depth + 1);
  };
  roots.forEach(r => visit(r, 0));
  return out;
}

/**
 * The spans of a trace as a waterfall: one row per span, indented under its
 * parent, with a bar at its offset and length within the trace. A click on
 * a row shows the span's attributes.
 */
export function TraceWaterfall(props: {
  trace: TraceDetail;
  onClose?: () => void;
}) {
  const { trace, onClose } = props;
  const classes = useStyles();
  const [open, setOpen] = useState<string | null>(null);
  const start = BigInt(trace.spans[0]?.startTimeUnixNano ?? '0');
  const total = trace.durationMs || 1;
  const rows = spanTree(trace.spans);
  return (
    <Box
      component="section"
      aria-label={`Spans of trace ${trace.traceId}`}
      data-testid="istio-trace-waterfall"
      mt={2}
    >
      <Box display="flex" alignItems="center" style={{ gap: 16 }} mb={1}>
        <Typography variant="h6" component="h3">
          Trace <code>{trace.traceId.slice(0, 16)}</code>: {trace.spans.length}{' '}
          {trace.spans.length === 1 ? 'span' : 'spans'},{' '}
          {formatMs(trace.durationMs)}
        </Typography>
        {trace.partial && (
          <StatusLabel level="warning">
            Partial: Tempo could not read every block
          </StatusLabel>
        )}
        {trace.link && (
          <Link href={trace.link} target="_blank" rel="noopener noreferrer">
            Open in Grafana Explore
          </Link>
        )}
        {onClose && (
          <Button size="small" onClick={onClose}>
            Close trace
          </Button>
        )}
      </Box>
      <Box role="list" aria-label="Spans">
        {rows.map(({ span, depth }) => {
          const offset = Number(BigInt(span.startTimeUnixNano) - start) / 1e6;
          const left = Math.max(0, Math.min(100, (offset / total) * 100));
          const width = Math.max(
            0.3,
            Math.min(100 - left, (span.durationMs / total) * 100),
          );
          const expanded = open === span.spanId;
          return (
            <Fragment key={span.spanId}>
              <Box role="listitem">
                <button
                  type="button"
                  className={classes.row}
                  aria-expanded={expanded}
                  onClick={() => setOpen(expanded ? null : span.spanId)}
                >
                  <span
                    className={classes.name}
                    style={{ paddingLeft: depth * 16 }}
                  >
                    {span.error ? (
                      <StatusLabel level="error">
                        {span.serviceName}: {span.name}
                      </StatusLabel>
                    ) : (
                      <>
                        {span.serviceName}: {span.name}
                      </>
                    )}
                  </span>
                  <span className={classes.track} aria-hidden="true">
                    <span
                      className={`${classes.bar} ${
                        span.error ? classes.error : ''
                      }`}
                      style={{ left: `${left}%`, width: `${width}%` }}
                    />
                  </span>
                  <Typography variant="body2" component="span" align="right">
                    {formatMs(span.durationMs)}
                  </Typography>
                </button>
                {expanded && (
                  <dl className={classes.attributes}>
                    <dt>kind</dt>
                    <dd>{span.kind}</dd>
                    <dt>span id</dt>
                    <dd>{span.spanId}</dd>
                    <dt>starts at</dt>
                    <dd>+{formatMs(offset)}</dd>
                    {span.attributes.map(a => (
                      <Fragment key={a.key}>
                        <dt>{a.key}</dt>
                        <dd>{a.value}</dd>
                      </Fragment>
                    ))}
                  </dl>
                )}
              </Box>
            </Fragment>
          );
        })}
      </Box>
    </Box>
  );
}
