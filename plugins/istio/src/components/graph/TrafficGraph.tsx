import { Link } from '@backstage/ui';
import { useRouteRef } from '@backstage/core-plugin-api';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { parseEntityRef } from '@backstage/catalog-model';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { makeStyles, useTheme } from '@material-ui/core/styles';
import type {
  ClusterTrafficGraph,
  TrafficEdge,
  TrafficNode,
} from '@ambient-mesh/plugin-istio-common';
import { formatPercent, formatRate } from '../../utils/format';

const NODE_W = 200;
const NODE_H = 44;
const ROW = 68;
const COL_GAP = 220;

const useStyles = makeStyles(theme => ({
  node: { fill: theme.palette.background.paper, strokeWidth: 1.5 },
  name: { fill: theme.palette.text.primary, fontSize: 13, fontWeight: 500 },
  ns: { fill: theme.palette.text.secondary, fontSize: 11 },
  label: { fontSize: 11, fill: theme.palette.text.primary },
  labelBg: { fill: theme.palette.background.default, opacity: 0.9 },
  column: {
    fill: theme.palette.text.secondary,
    fontSize: 12,
    fontWeight: 500,
  },
  link: { '&:focus': { outline: `2px solid ${theme.palette.primary.main}` } },
}));

/** The text of an edge: rate, 5xx ratio and mTLS, e.g. `12.5 req/s · 2.0 % 5xx · mTLS`. */
export function edgeLabel(edge: TrafficEdge): string {
  const unit = edge.layer === 'L7' ? 'req/s' : 'conn/s';
  const parts = [`${formatRate(edge.rate).replace('/s', '')} ${unit}`];
  if (edge.errorRatio !== null)
    parts.push(`${formatPercent(edge.errorRatio)} 5xx`);
  if (edge.mtlsShare === null) parts.push('mTLS n/a');
  else if (edge.mtlsShare >= 0.999) parts.push('mTLS');
  else if (edge.mtlsShare <= 0.001) parts.push('plaintext');
  else parts.push(`${formatPercent(edge.mtlsShare)} mTLS`);
  return parts.join(' · ');
}

function truncate(text: string, max: number) {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

function NodeBox(props: {
  node: TrafficNode;
  x: number;
  y: number;
  stroke: string;
}) {
  const { node, x, y, stroke } = props;
  const classes = useStyles();
  const entityRoute = useRouteRef(entityRouteRef);
  const body = (
    <g>
      <rect
        className={classes.node}
        x={x}
        y={y}
        width={NODE_W}
        height={NODE_H}
        rx={8}
        stroke={stroke}
        strokeWidth={node.role === 'self' ? 3 : 1.5}
      />
      <text className={classes.name} x={x + 12} y={y + 19}>
        {truncate(node.name, 24)}
      </text>
      <text className={classes.ns} x={x + 12} y={y + 35}>
        {truncate(node.namespace, 28)}
      </text>
    </g>
  );
  if (!node.entityRef || node.role === 'self' || !entityRoute) return body;
  const ref = parseEntityRef(node.entityRef);
  const to = entityRoute({
    kind: ref.kind.toLocaleLowerCase('en-US'),
    namespace: ref.namespace,
    name: ref.name,
  });
  return (
    <Link href={to} className={classes.link}>
      {body}
    </Link>
  );
}

/**
 * Callers on the left, the entity in the middle, the services it calls on
 * the right; each edge labelled with its rate, 5xx ratio and mTLS. Nodes
 * with a catalog entity link to its page.
 */
export function TrafficGraph(props: { graph: ClusterTrafficGraph }) {
  const { graph } = props;
  const classes = useStyles();
  const theme = useTheme();
  const callers = graph.nodes.filter(n => n.role === 'caller');
  const callees = graph.nodes.filter(n => n.role === 'callee');
  const self = graph.nodes.find(n => n.role === 'self');
  if (!self) return null;
  const rows = Math.max(callers.length, callees.length, 1);
  const height = rows * ROW + 40;
  const width = NODE_W * 3 + COL_GAP * 2 + 20;
  const colX = [10, 10 + NODE_W + COL_GAP, 10 + 2 * (NODE_W + COL_GAP)];
  const top = 30;
  const rowY = (i: number, count: number) =>
    top + (rows - count) * (ROW / 2) + i * ROW;
  const pos = new Map<string, { x: number; y: number }>();
  callers.forEach((n, i) =>
    pos.set(n.id, { x: colX[0], y: rowY(i, callers.length) }),
  );
  callees.forEach((n, i) =>
    pos.set(n.id, { x: colX[2], y: rowY(i, callees.length) }),
  );
  pos.set(self.id, { x: colX[1], y: rowY(0, 1) });

  const strokeOf = (edge: TrafficEdge) => {
    if (edge.errorRatio !== null && edge.errorRatio >= 0.1)
      return theme.palette.error.main;
    if (edge.errorRatio !== null && edge.errorRatio > 0)
      return theme.palette.warning?.main ?? '#ed6c02';
    return theme.palette.success?.main ?? '#2e7d32';
  };

  return (
    <Box overflow="auto">
      <svg
        width={width}
        height={height}
        viewBox={`0 0 ${width} ${height}`}
        role="group"
        aria-label={`Traffic graph: ${callers.length} callers, ${callees.length} called services`}
        data-testid="istio-traffic-graph"
      >
        <defs>
          <marker
            id="istio-arrow"
            viewBox="0 0 10 10"
            refX="10"
            refY="5"
            markerWidth="7"
            markerHeight="7"
            orient="auto-start-reverse"
          >
            <path
              d="M 0 0 L 10 5 L 0 10 z"
              fill={theme.palette.text.secondary}
            />
          </marker>
        </defs>
        <text className={classes.column} x={colX[0]} y={16}>
          Callers
        </text>
        <text className={classes.column} x={colX[1]} y={16}>
          This service
        </text>
        <text className={classes.column} x={colX[2]} y={16}>
          Calls
        </text>
        {graph.edges.map(edge => {
          const a = pos.get(edge.source);
          const b = pos.get(edge.target);
          if (!a || !b) return null;
          const x1 = a.x + NODE_W;
          const y1 = a.y + NODE_H / 2;
          const x2 = b.x;
          const y2 = b.y + NODE_H / 2;
          const mx = (x1 + x2) / 2;
          const label = edgeLabel(edge);
          // Labels sit beside the peer, where edges do not cross
          const peerIsSource = edge.target === self.id;
          const lx = peerIsSource ? x1 + 6 : x2 - 6;
          const ly = (peerIsSource ? y1 : y2) - 6;
          const w = label.length * 6.2 + 8;
          return (
            <g
              key={`${edge.source}->${edge.target}`}
              data-testid="istio-graph-edge"
            >
              <path
                d={`M${x1},${y1} C${mx},${y1} ${mx},${y2} ${x2},${y2}`}
                fill="none"
                stroke={strokeOf(edge)}
                strokeWidth={Math.min(6, 1.5 + Math.log10(1 + edge.rate))}
                strokeDasharray={
                  edge.mtlsShare !== null && edge.mtlsShare < 0.999
                    ? '6 4'
                    : undefined
                }
                markerEnd="url(#istio-arrow)"
              />
              <rect
                className={classes.labelBg}
                x={peerIsSource ? lx - 2 : lx - w + 2}
                y={ly - 11}
                width={w}
                height={15}
                rx={3}
              />
              <text
                className={classes.label}
                x={lx}
                y={ly}
                textAnchor={peerIsSource ? 'start' : 'end'}
              >
                {label}
              </text>
            </g>
          );
        })}
        {graph.nodes.map(n => {
          const p = pos.get(n.id);
          if (!p) return null;
          return (
            <NodeBox
              key={n.id}
              node={n}
              x={p.x}
              y={p.y}
              stroke={
                n.role === 'self'
                  ? theme.palette.primary.main
                  : theme.palette.divider
              }
            />
          );
        })}
      </svg>
      <Typography variant="caption" component="p">
        Edges: rate over the last {graph.window}, share of 5xx responses, and
        whether the traffic uses mTLS (a dashed edge: some or all plaintext).
      </Typography>
    </Box>
  );
}
