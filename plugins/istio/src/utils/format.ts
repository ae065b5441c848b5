/** Formats a share between 0 and 1 as a percentage, e.g. `0.0123` as `1.23 %`; `n/a` when unknown. */
export function formatPercent(share: number | null | undefined): string {
  if (share === null || share === undefined || Number.isNaN(share)) {
    return 'n/a';
  }
  const percent = share * 100;
  if (percent === 0 || percent === 100) return `${percent} %`;
  const digits = percent < 10 ? 2 : 1;
  return `${percent.toFixed(digits)} %`;
}

/** Formats a per-second rate, e.g. `12.3/s`; `n/a` when unknown. */
export function formatRate(value: number | null | undefined): string {
  if (value === null || value === undefined || Number.isNaN(value)) {
    return 'n/a';
  }
  const digits = value !== 0 && Math.abs(value) < 10 ? 2 : 1;
  return `${value.toFixed(digits)}/s`;
}

/** Formats a duration in milliseconds, e.g. `12 ms` or `1.25 s`; `n/a` when unknown. */
export function formatMs(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || Number.isNaN(ms)) return 'n/a';
  if (ms >= 1000) return `${(ms / 1000).toFixed(2)} s`;
  if (ms < 10) return `${ms.toFixed(1)} ms`;
  return `${Math.round(ms)} ms`;
}

/** Formats a byte rate, e.g. `1.5 KiB/s`; `n/a` when unknown. */
export function formatBytesRate(value: number | null | undefined): string {
  if (value === null || value === undefined || Number.isNaN(value)) {
    return 'n/a';
  }
  const units = ['B', 'KiB', 'MiB', 'GiB'];
  let scaled = value;
  let unit = 0;
  while (scaled >= 1024 && unit < units.length - 1) {
    scaled /= 1024;
    unit++;
  }
  return `${scaled.toFixed(unit === 0 ? 0 : 1)} ${units[unit]}/s`;
}
