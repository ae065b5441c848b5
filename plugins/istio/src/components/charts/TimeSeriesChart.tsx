import { useEffect, useMemo, useRef, useState } from 'react';
import type { SeriesPoint } from '@ambient-mesh/plugin-istio-common';
import Box from '@material-ui/core/Box';
import Paper from '@material-ui/core/Paper';
import Typography from '@material-ui/core/Typography';
import { makeStyles, useTheme } from '@material-ui/core/styles';

/** One line of a {@link TimeSeriesChart}. */
export interface ChartSeries {
  name: string;
  points: SeriesPoint[] | undefined;
  /** A colour of the theme's palette; the chart picks one when absent. */
  color?: string;
  dashed?: boolean;
}

/** Props of {@link TimeSeriesChart}. */
export interface TimeSeriesChartProps {
  title: string;
  /** Unit shown on the y axis, e.g. `req/s`, `ms`, `%`. */
  unit: string;
  series: ChartSeries[];
  /** Formats a value for the axis and the tooltip. */
  format: (value: number) => string;
  height?: number;
  /** Lower bound of the y axis (default 0); `max` fixes the top, e.g. 1 for shares. */
  min?: number;
  max?: number;
}

const MARGIN = { top: 8, right: 12, bottom: 24, left: 56 };

const useStyles = makeStyles(theme => ({
  root: { position: 'relative' },
  axis: { fill: theme.palette.text.secondary, fontSize: 11 },
  grid: { stroke: theme.palette.divider },
  legend: {
    display: 'flex',
    flexWrap: 'wrap',
    gap: theme.spacing(2),
    margin: 0,
    padding: 0,
    listStyle: 'none',
  },
  swatch: {
    display: 'inline-block',
    width: 12,
    height: 3,
    marginRight: 6,
    verticalAlign: 'middle',
  },
  tooltip: {
    position: 'absolute',
    top: MARGIN.top,
    padding: theme.spacing(0.5, 1),
    pointerEvents: 'none',
    zIndex: 1,
    whiteSpace: 'nowrap',
  },
}));

/** Evenly spaced "nice" ticks between min and max. */
export function niceTicks(min: number, max: number, count = 4): number[] {
  if (!(max > min)) return [min];
  const raw = (max - min) / count;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step =
    [1, 2, 2.5, 5, 10].map(m => m * magnitude).find(s => s >= raw) ??
    10 * magnitude;
  const ticks: number[] = [];
  for (
    let v = Math.ceil(min / step) * step;
    v <= max + step * 1e-9;
    v += step
  ) {
    ticks.push(Number(v.toPrecision(12)));
  }
  return ticks;
}

function timeLabel(t: number, spanSeconds: number): string {
  const d = new Date(t * 1000);
  const hh = String(d.getHours()).padStart(2, '0');
  const mm = String(d.getMinutes()).padStart(2, '0');
  if (spanSeconds > 86400) {
    return `${d.getMonth() + 1}/${d.getDate()} ${hh}:${mm}`;
  }
  return `${hh}:${mm}`;
}

function useWidth(fallback: number) {
  const ref = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(fallback);
  useEffect(() => {
    const el = ref.current;
    if (!el) return undefined;
    const measure = () => setWidth(el.clientWidth || fallback);
    measure();
    if (typeof ResizeObserver === 'undefined') return undefined;
    const observer = new ResizeObserver(measure);
    observer.observe(el);
    return () => observer.disconnect();
  }, [fallback]);
  return { ref, width };
}

/**
 * A line chart of metric series over time with a y axis in the given unit, a
 * time axis, a legend and, on hover or keyboard focus, the values at the
 * nearest point in time. A null value breaks its line.
 */
export function TimeSeriesChart(props: TimeSeriesChartProps) {
  const { title, unit, series, format, height = 160, min = 0 } = props;
  const classes = useStyles();
  const theme = useTheme();
  const { ref, width } = useWidth(480);
  const [hover, setHover] = useState<number | null>(null);
  const palette = [
    theme.palette.primary.main,
    theme.palette.secondary.main,
    theme.palette.warning?.main ?? '#ed6c02',
  ];
  const lines = series.map((s, i) => ({
    ...s,
    color: s.color ?? palette[i % palette.length],
    points: s.points ?? [],
  }));
  const times = useMemo(() => {
    const all = new Set<number>();
    lines.forEach(l => l.points.forEach(p => all.add(p.t)));
    return [...all].sort((a, b) => a - b);
  }, [lines]);
  const values = lines.flatMap(l =>
    l.points
      .map(p => p.v)
      .filter((v): v is number => v !== null && Number.isFinite(v)),
  );
  const innerW = Math.max(10, width - MARGIN.left - MARGIN.right);
  const innerH = height - MARGIN.top - MARGIN.bottom;
  const t0 = times[0] ?? 0;
  const t1 = times[times.length - 1] ?? 1;
  const top = props.max ?? (values.length ? Math.max(...values) : 1);
  const yMax = top > min ? top * (props.max === undefined ? 1.1 : 1) : min + 1;
  const x = (t: number) =>
    MARGIN.left + (t1 === t0 ? innerW / 2 : ((t - t0) / (t1 - t0)) * innerW);
  const y = (v: number) =>
    MARGIN.top + innerH - ((v - min) / (yMax - min)) * innerH;
  const yTicks = niceTicks(min, yMax);
  const xTicks =
    times.length > 1 ? [0, 1, 2, 3].map(i => t0 + ((t1 - t0) * i) / 3) : times;

  const path = (points: SeriesPoint[]) => {
    let d = '';
    let pen = false;
    for (const p of points) {
      if (p.v === null || !Number.isFinite(p.v)) {
        pen = false;
        continue;
      }
      d += `${pen ? 'L' : 'M'}${x(p.t).toFixed(1)},${y(p.v).toFixed(1)}`;
      pen = true;
    }
    return d;
  };

  const pick = (clientX: number, rect: DOMRect) => {
    if (times.length === 0) return;
    const px = clientX - rect.left;
    let best = 0;
    for (let i = 1; i < times.length; i++) {
      if (Math.abs(x(times[i]) - px) < Math.abs(x(times[best]) - px)) best = i;
    }
    setHover(best);
  };

  const hoverT = hover !== null ? times[hover] : undefined;
  const latest = lines.map(l => {
    const last = [...l.points].reverse().find(p => p.v !== null);
    return last?.v ?? null;
  });
  const summary = `${title} in ${unit} over the range: ${lines
    .map(
      (l, i) =>
        `${l.name} latest ${
          latest[i] === null ? 'n/a' : format(latest[i] as number)
        }`,
    )
    .join(', ')}`;

  return (
    <Box className={classes.root}>
      <Typography variant="subtitle2" component="h4">
        {title} ({unit})
      </Typography>
      <div ref={ref} style={{ position: 'relative', height }}>
        {times.length === 0 ? (
          <Box
            height={height}
            display="flex"
            alignItems="center"
            justifyContent="center"
          >
            <Typography variant="body2">No data over the range</Typography>
          </Box>
        ) : (
          <svg
            width={width}
            height={height}
            role="img"
            aria-label={summary}
            tabIndex={0}
            onMouseMove={e =>
              pick(e.clientX, e.currentTarget.getBoundingClientRect())
            }
            onMouseLeave={() => setHover(null)}
            onFocus={() => setHover(times.length - 1)}
            onBlur={() => setHover(null)}
            onKeyDown={e => {
              if (e.key === 'ArrowLeft')
                setHover(h => Math.max(0, (h ?? times.length) - 1));
              if (e.key === 'ArrowRight')
                setHover(h => Math.min(times.length - 1, (h ?? -1) + 1));
            }}
            data-testid="istio-chart"
          >
            {yTicks.map(v => (
              <g key={`y${v}`}>
                <line
                  className={classes.grid}
                  x1={MARGIN.left}
                  x2={MARGIN.left + innerW}
                  y1={y(v)}
                  y2={y(v)}
                />
                <text
                  className={classes.axis}
                  x={MARGIN.left - 6}
                  y={y(v)}
                  textAnchor="end"
                  dominantBaseline="middle"
                >
                  {format(v)}
                </text>
              </g>
            ))}
            {xTicks.map((t, i) => (
              <text
                key={`x${t}`}
                className={classes.axis}
                x={x(t)}
                y={height - 6}
                textAnchor={
                  ['start', 'middle', 'middle', 'end'][i] as
                    | 'start'
                    | 'middle'
                    | 'end'
                }
              >
                {timeLabel(t, t1 - t0)}
              </text>
            ))}
            {lines.map(l => (
              <path
                key={l.name}
                d={path(l.points)}
                fill="none"
                stroke={l.color}
                strokeWidth={2}
                strokeDasharray={l.dashed ? '4 3' : undefined}
              />
            ))}
            {hoverT !== undefined && (
              <line
                x1={x(hoverT)}
                x2={x(hoverT)}
                y1={MARGIN.top}
                y2={MARGIN.top + innerH}
                stroke={theme.palette.text.secondary}
                strokeDasharray="2 2"
              />
            )}
          </svg>
        )}
        {hoverT !== undefined && (
          <Paper
            className={classes.tooltip}
            role="tooltip"
            elevation={3}
            style={
              x(hoverT) > width / 2
                ? { right: width - x(hoverT) + 8 }
                : { left: x(hoverT) + 8 }
            }
          >
            <Typography variant="caption" component="p">
              {new Date(hoverT * 1000).toLocaleTimeString('en-GB')}
            </Typography>
            {lines.map(l => {
              const p = l.points.find(pt => pt.t === hoverT);
              return (
                <Typography variant="body2" component="p" key={l.name}>
                  <span
                    className={classes.swatch}
                    style={{ background: l.color }}
                  />
                  {l.name}:{' '}
                  {p && p.v !== null ? `${format(p.v)} ${unit}` : 'n/a'}
                </Typography>
              );
            })}
          </Paper>
        )}
      </div>
      <ul className={classes.legend} aria-label={`Legend of ${title}`}>
        {lines.map(l => (
          <li key={l.name}>
            <Typography variant="caption">
              <span
                className={classes.swatch}
                style={{ background: l.color }}
              />
              {l.name}
            </Typography>
          </li>
        ))}
      </ul>
    </Box>
  );
}
