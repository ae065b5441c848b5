import { HOSTILE_VALUES, parseSelector } from '../__fixtures__/hostile';
import {
  labelEquals,
  labelMatchesPattern,
  labelNotEquals,
  labelOneOf,
  metricSelector,
  renderLabelMatcher,
} from './labels';

describe('metricSelector', () => {
  it.each(HOSTILE_VALUES)(
    'keeps %j one literal value of one matcher',
    value => {
      const selector = metricSelector('istio_requests_total', [
        labelEquals('reporter', 'waypoint'),
        labelEquals('destination_service_name', value),
        labelNotEquals('destination_service_namespace', value),
      ]);
      expect(parseSelector(selector)).toEqual({
        metric: 'istio_requests_total',
        matchers: [
          ['reporter', '=', 'waypoint'],
          ['destination_service_name', '=', value],
          ['destination_service_namespace', '!=', value],
        ],
      });
    },
  );

  it.each(HOSTILE_VALUES.filter(v => v !== ''))(
    'labelOneOf matches %j literally, and nothing beyond it',
    value => {
      const [, , pattern] = parseSelector(
        metricSelector('m', [labelOneOf('destination_workload', [value, 'b'])]),
      ).matchers[0];
      const anchored = new RegExp(`^(?:${pattern})$`, 's');
      expect(anchored.test(value)).toBe(true);
      expect(anchored.test('b')).toBe(true);
      expect(anchored.test(`${value}b`)).toBe(false);
      expect(anchored.test('anything')).toBe(value === 'anything');
    },
  );

  it('renders the documented forms', () => {
    expect(renderLabelMatcher(labelEquals('a', 'x"y'))).toBe('a="x\\"y"');
    expect(renderLabelMatcher(labelOneOf('a', ['x.y', 'z']))).toBe(
      'a=~"x\\\\.y|z"',
    );
    expect(
      renderLabelMatcher(labelMatchesPattern('response_code', '5..')),
    ).toBe('response_code=~"5.."');
  });

  it.each([
    [
      'bad label',
      () => labelEquals('a-b', 'x'),
      /Invalid PromQL label name "a-b"/,
    ],
    [
      'label injection',
      () => labelEquals('a="x"} or up{b', 'x'),
      /Invalid PromQL label name/,
    ],
    ['empty oneOf', () => labelOneOf('a', []), /needs at least one value/],
    [
      'bad metric',
      () => metricSelector('up{x="y"}', []),
      /Invalid PromQL metric name/,
    ],
  ])('refuses %s', (_name, build, error) => {
    expect(build).toThrow(error);
  });
});
