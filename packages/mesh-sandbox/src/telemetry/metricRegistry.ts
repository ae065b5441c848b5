/** Label names and values of one series. */
export type Labels = Record<string, string>;

/** Istio's default buckets for istio_request_duration_milliseconds. */
export const DURATION_BUCKETS_MS = [
  0.5, 1, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000, 60000,
  300000, 600000, 1800000, 3600000,
];

interface Family {
  help: string;
  type: 'counter' | 'histogram';
  buckets?: number[];
  series: Map<string, Series>;
}

interface Series {
  labels: Labels;
  value: number;
  bucketCounts?: number[];
  sum?: number;
}

function keyOf(labels: Labels): string {
  return Object.keys(labels)
    .sort()
    .map(k => `${k}=${labels[k]}`)
    .join('\u0000');
}

function escapeLabelValue(value: string): string {
  return value
    .replace(/\\/g, '\\\\')
    .replace(/"/g, '\\"')
    .replace(/\n/g, '\\n');
}

function formatLabels(labels: Labels, extra?: [string, string]): string {
  const entries = Object.keys(labels)
    .sort()
    .map(k => `${k}="${escapeLabelValue(labels[k])}"`);
  if (extra) entries.push(`${extra[0]}="${extra[1]}"`);
  return entries.length > 0 ? `{${entries.join(',')}}` : '';
}

function formatNumber(value: number): string {
  if (Number.isInteger(value)) return String(value);
  return String(Number(value.toFixed(6)));
}

/**
 * Counters and histograms with the Prometheus text exposition format
 * (version 0.0.4): HELP and TYPE once per family, series sorted.
 */
export class MetricRegistry {
  private readonly families = new Map<string, Family>();

  counter(name: string, help: string): void {
    this.define(name, { help, type: 'counter', series: new Map() });
  }

  histogram(name: string, help: string, buckets: number[]): void {
    this.define(name, { help, type: 'histogram', buckets, series: new Map() });
  }

  /** Adds to a counter series, creating it at 0 first. */
  inc(name: string, labels: Labels, amount = 1): void {
    const series = this.series(name, labels);
    series.value += amount;
  }

  /** Records one histogram observation. */
  observe(name: string, labels: Labels, value: number): void {
    const family = this.family(name);
    const series = this.series(name, labels);
    series.value += 1;
    series.sum = (series.sum ?? 0) + value;
    family.buckets!.forEach((bound, index) => {
      if (value <= bound) series.bucketCounts![index] += 1;
    });
  }

  /** The current value of a counter series (0 when absent). */
  value(name: string, labels: Labels): number {
    return this.family(name).series.get(keyOf(labels))?.value ?? 0;
  }

  /** All series of a family. */
  seriesOf(name: string): Array<{ labels: Labels; value: number }> {
    return [...this.family(name).series.values()].map(s => ({
      labels: { ...s.labels },
      value: s.value,
    }));
  }

  /** The text exposition of every family. */
  render(): string {
    const lines: string[] = [];
    for (const [name, family] of [...this.families].sort(([a], [b]) =>
      a.localeCompare(b),
    )) {
      if (family.series.size === 0) continue;
      lines.push(`# HELP ${name} ${family.help}`);
      lines.push(`# TYPE ${name} ${family.type}`);
      const all = [...family.series.entries()].sort(([a], [b]) =>
        a.localeCompare(b),
      );
      for (const [, series] of all) {
        if (family.type === 'counter') {
          lines.push(
            `${name}${formatLabels(series.labels)} ${formatNumber(
              series.value,
            )}`,
          );
          continue;
        }
        family.buckets!.forEach((bound, index) => {
          lines.push(
            `${name}_bucket${formatLabels(series.labels, [
              'le',
              String(bound),
            ])} ${series.bucketCounts![index]}`,
          );
        });
        lines.push(
          `${name}_bucket${formatLabels(series.labels, ['le', '+Inf'])} ${
            series.value
          }`,
        );
        lines.push(
          `${name}_sum${formatLabels(series.labels)} ${formatNumber(
            series.sum ?? 0,
          )}`,
        );
        lines.push(
          `${name}_count${formatLabels(series.labels)} ${series.value}`,
        );
      }
    }
    return `${lines.join('\n')}\n`;
  }

  private define(name: string, family: Family) {
    if (!this.families.has(name)) this.families.set(name, family);
  }

  private family(name: string): Family {
    const family = this.families.get(name);
    if (!family) throw new Error(`metric ${name} is not defined`);
    return family;
  }

  private series(name: string, labels: Labels): Series {
    const family = this.family(name);
    const key = keyOf(labels);
    let series = family.series.get(key);
    if (!series) {
      series = {
        labels: { ...labels },
        value: 0,
        ...(family.type === 'histogram'
          ? { bucketCounts: family.buckets!.map(() => 0), sum: 0 }
          : {}),
      };
      family.series.set(key, series);
    }
    return series;
  }
}
