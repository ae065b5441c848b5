import Box from '@material-ui/core/Box';
import Paper from '@material-ui/core/Paper';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import type {
  ClusterMeshStatus,
  ClusterMetrics,
  DiagnosticSeverity,
} from '@ambient-mesh/plugin-istio-common';
import { MTLS_GRADE_DISPLAY } from '../mesh/labels';
import { HEALTH_DISPLAY } from '../metrics/GoldenSignalsCard';
import { StatusLabel, type StatusLevel } from '../shared/StatusLabel';
import { Skeleton } from '../shared/Skeleton';

/** Ids of the parts of the tab the chips jump to. */
export const ANCHORS = {
  diagnostics: 'istio-diagnostics',
  enrollment: 'istio-enrollment',
  waypoint: 'istio-waypoint',
  mtls: 'istio-mtls',
  policies: 'istio-policies',
  signals: 'istio-golden-signals',
} as const;

const useStyles = makeStyles(theme => ({
  chips: {
    display: 'flex',
    flexWrap: 'wrap',
    gap: theme.spacing(1),
    margin: 0,
    padding: 0,
    listStyle: 'none',
  },
  chip: {
    display: 'inline-flex',
    alignItems: 'center',
    padding: theme.spacing(0.5, 1.5),
    border: `1px solid ${theme.palette.divider}`,
    borderRadius: 16,
    color: theme.palette.text.primary,
    textDecoration: 'none',
    fontSize: theme.typography.body2.fontSize,
    '&:hover': { background: theme.palette.action.hover },
    '&:focus-visible': {
      outline: `2px solid ${theme.palette.primary.main}`,
      outlineOffset: 2,
    },
  },
  caption: { color: theme.palette.text.secondary, fontSize: 12 },
}));

/** One fact of the summary: what it is, its value and how good. */
export interface SummaryFact {
  key: keyof typeof ANCHORS;
  label: string;
  value: string;
  level: StatusLevel;
}

const SEVERITY_ORDER: DiagnosticSeverity[] = ['error', 'warning', 'info'];
const SEVERITY_WORDS: Record<DiagnosticSeverity, [string, string]> = {
  error: ['error', 'errors'],
  warning: ['warning', 'warnings'],
  info: ['note', 'notes'],
};

/** The facts of the summary strip, from one cluster's mesh status and metrics. */
export function summaryFacts(
  status: ClusterMeshStatus,
  metrics?: ClusterMetrics,
  /** True once the metrics request answered (with or without data). */
  metricsDone = metrics !== undefined,
): SummaryFact[] {
  const e = status.enrollment;
  const total = e.pods.length;
  const captured = e.podCounts.captured;
  const w = status.waypoint;
  const counts = SEVERITY_ORDER.map(s => ({
    s,
    n: status.diagnostics.filter(d => d.severity === s).length,
  })).filter(c => c.n > 0);
  let waypoint: Pick<SummaryFact, 'value' | 'level'> = {
    value: 'none (L4 only)',
    level: 'neutral',
  };
  if (w.kind !== 'none') {
    waypoint = w.ready
      ? { value: `${w.name} ready`, level: 'ok' }
      : { value: `${w.name} not ready`, level: 'error' };
  }
  let enrollmentLevel: StatusLevel = 'warning';
  if (total === 0) enrollmentLevel = 'neutral';
  else if (captured === total) enrollmentLevel = 'ok';
  let diagnosticsLevel: StatusLevel = 'ok';
  if (counts.some(c => c.s === 'error')) diagnosticsLevel = 'error';
  else if (counts.some(c => c.s === 'warning')) diagnosticsLevel = 'warning';
  const grade = MTLS_GRADE_DISPLAY[status.mtls.grade];
  const health = metrics ? HEALTH_DISPLAY[metrics.health] : undefined;
  return [
    {
      key: 'enrollment',
      label: 'Enrollment',
      value: total === 0 ? 'no pod' : `${captured}/${total} pods captured`,
      level: enrollmentLevel,
    },
    { key: 'waypoint', label: 'Waypoint', ...waypoint },
    { key: 'mtls', label: 'mTLS', value: grade.label, level: grade.level },
    {
      key: 'policies',
      label: 'Default deny',
      value: status.policies.defaultDeny ? 'on' : 'off',
      level: status.policies.defaultDeny ? 'ok' : 'warning',
    },
    {
      key: 'signals',
      label: 'Health',
      value: health?.label ?? (metricsDone ? 'no metrics' : 'loading'),
      level: health ? health.level : 'neutral',
    },
    {
      key: 'diagnostics',
      label: 'Diagnostics',
      value:
        counts.length === 0
          ? 'none'
          : counts
              .map(c => `${c.n} ${SEVERITY_WORDS[c.s][c.n === 1 ? 0 : 1]}`)
              .join(', '),
      level: diagnosticsLevel,
    },
  ];
}

function jump(id: string) {
  const el = document.getElementById(id);
  if (!el) return;
  el.scrollIntoView?.({ behavior: 'smooth', block: 'start' });
  const focusable = el.querySelector<HTMLElement>('h2, h3, h4') ?? el;
  if (!focusable.hasAttribute('tabindex'))
    focusable.setAttribute('tabindex', '-1');
  focusable.focus({ preventScroll: true });
}

/**
 * The state of the mesh on one line: enrollment, waypoint, mTLS grade,
 * default deny, health and diagnostics by severity; each chip jumps to its
 * section.
 */
export function SummaryStrip(props: {
  status?: ClusterMeshStatus;
  metrics?: ClusterMetrics;
  metricsDone?: boolean;
  /** Shown when the entity runs in more than one cluster. */
  cluster?: string;
}) {
  const { status, metrics, cluster } = props;
  const classes = useStyles();
  return (
    <Paper variant="outlined" component="nav" aria-label="Mesh summary">
      <Box px={2} py={1.5} minHeight={64}>
        {cluster && (
          <Typography className={classes.caption} component="p" gutterBottom>
            Cluster {cluster}
          </Typography>
        )}
        {!status ? (
          <Skeleton height={36} />
        ) : (
          <ul className={classes.chips}>
            {summaryFacts(status, metrics, props.metricsDone).map(f => (
              <li key={f.key}>
                <a
                  className={classes.chip}
                  href={`#${ANCHORS[f.key]}`}
                  onClick={ev => {
                    ev.preventDefault();
                    jump(ANCHORS[f.key]);
                  }}
                >
                  <StatusLabel level={f.level}>
                    <strong>{f.label}:</strong> {f.value}
                  </StatusLabel>
                </a>
              </li>
            ))}
          </ul>
        )}
      </Box>
    </Paper>
  );
}
