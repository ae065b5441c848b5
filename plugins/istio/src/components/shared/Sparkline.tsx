import type { SeriesPoint } from '@ambient-mesh/plugin-istio-common';
import { useTheme } from '@material-ui/core/styles';

/** Props of {@link Sparkline}. */
export interface SparklineProps {
  points: SeriesPoint[] | undefined;
  /** What the line shows, read by screen readers (e.g. "Requests per second, last hour"). */
  label: string;
  width?: number;
  height?: number;
}

/**
 * Builds the SVG path of a series scaled into a box; a null value breaks the line.
 * Returns an empty string when fewer than two points have values.
 */
export function sparklinePath(
  points: SeriesPoint[],
  width: number,
  height: number,
): string {
  const values = points.filter(p => p.v !== null && Number.isFinite(p.v));
  if (values.length < 2) return '';
  const t0 = points[0].t;
  const t1 = points[points.length - 1].t;
  const vs = values.map(p => p.v as number);
  const min = Math.min(...vs);
  const max = Math.max(...vs);
  const x = (t: number) => (t1 === t0 ? 0 : ((t - t0) / (t1 - t0)) * width);
  const y = (v: number) =>
    max === min ? height / 2 : height - ((v - min) / (max - min)) * height;
  let path = '';
  let penDown = false;
  for (const p of points) {
    if (p.v === null || !Number.isFinite(p.v)) {
      penDown = false;
      continue;
    }
    path += `${penDown ? 'L' : 'M'}${x(p.t).toFixed(1)},${y(p.v).toFixed(1)}`;
    penDown = true;
  }
  return path;
}

/** A small line chart of a metric series, without axes. */
export function Sparkline(props: SparklineProps) {
  const { points, label, width = 120, height = 28 } = props;
  const theme = useTheme();
  const path = points ? sparklinePath(points, width, height) : '';
  if (!path) {
    return null;
  }
  return (
    <svg
      role="img"
      aria-label={label}
      width={width}
      height={height}
      viewBox={`-1 -1 ${width + 2} ${height + 2}`}
    >
      <path
        d={path}
        fill="none"
        stroke={theme.palette.primary.main}
        strokeWidth={1.5}
      />
    </svg>
  );
}
