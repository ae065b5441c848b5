import { InputError } from '@backstage/errors';
import { escapeRegexLiteral, quoteDoubleQuoted } from '../quoting';

/**
 * A PromQL label matcher. Build it with {@link labelEquals}, {@link labelNotEquals},
 * {@link labelOneOf} or {@link labelMatchesPattern}; {@link metricSelector} renders it.
 *
 * @public
 */
export interface LabelMatcher {
  label: string;
  op: '=' | '!=' | '=~' | '!~';
  /** The value as PromQL receives it once unquoted (for `=~`/`!~`, a RE2 pattern). */
  value: string;
}

const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;

function checkLabelName(label: string): string {
  if (!LABEL_NAME.test(label)) {
    throw new InputError(
      `Invalid PromQL label name "${label}": use letters, digits and underscores, not starting with a digit`,
    );
  }
  return label;
}

/** `label="value"`: the value is matched literally. @public */
export function labelEquals(label: string, value: string): LabelMatcher {
  return { label: checkLabelName(label), op: '=', value };
}

/** `label!="value"`: the value is matched literally. @public */
export function labelNotEquals(label: string, value: string): LabelMatcher {
  return { label: checkLabelName(label), op: '!=', value };
}

/**
 * `label=~"v1|v2"`: the label equals one of the values, each matched literally (regex
 * metacharacters escaped). An empty list is refused, since it would match nothing.
 *
 * @public
 */
export function labelOneOf(
  label: string,
  values: readonly string[],
): LabelMatcher {
  if (values.length === 0) {
    throw new InputError(`labelOneOf("${label}") needs at least one value`);
  }
  const pattern = values.map(escapeRegexLiteral).join('|');
  return { label: checkLabelName(label), op: '=~', value: pattern };
}

/**
 * `label=~"pattern"` with a pattern written by the caller (for example `5..`). Never pass
 * user input here; use {@link labelOneOf} for values.
 *
 * @public
 */
export function labelMatchesPattern(
  label: string,
  pattern: string,
): LabelMatcher {
  return { label: checkLabelName(label), op: '=~', value: pattern };
}

/** Renders one matcher, e.g. `destination_service_name="orders"`. @public */
export function renderLabelMatcher(matcher: LabelMatcher): string {
  return `${checkLabelName(matcher.label)}${matcher.op}${quoteDoubleQuoted(
    matcher.value,
  )}`;
}

/**
 * Renders a vector selector, e.g. `istio_requests_total{reporter="waypoint"}`. Every value
 * is quoted and escaped; the metric name is validated.
 *
 * @public
 */
export function metricSelector(
  metric: string,
  matchers: readonly LabelMatcher[],
): string {
  if (!METRIC_NAME.test(metric)) {
    throw new InputError(`Invalid PromQL metric name "${metric}"`);
  }
  return `${metric}{${matchers.map(renderLabelMatcher).join(',')}}`;
}
