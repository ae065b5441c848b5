import {
  matchesFields,
  matchesLabels,
  parseFieldSelector,
  parseLabelSelector,
} from './selectors';
import { KubeObject } from './types';

describe('label selectors', () => {
  const labels = {
    app: 'orders',
    tier: 'backend',
    'istio.io/dataplane-mode': 'ambient',
  };
  it.each([
    ['app=orders', true],
    ['app==orders', true],
    ['app=payments', false],
    ['app!=payments', true],
    ['missing!=x', true],
    ['app in (orders,payments)', true],
    ['app in (payments)', false],
    ['app notin (payments, inventory)', true],
    ['missing notin (x)', true],
    ['istio.io/dataplane-mode', true],
    ['!istio.io/dataplane-mode', false],
    ['!missing', true],
    ['app=orders,tier in (backend),!missing', true],
    ['app=orders,tier=frontend', false],
    ['', true],
  ])('%s matches: %s', (selector, expected) => {
    expect(matchesLabels(parseLabelSelector(selector), labels)).toBe(expected);
  });

  it('rejects what it cannot parse', () => {
    expect(() => parseLabelSelector('app in (orders')).toThrow(
      /unable to parse/,
    );
  });
});

describe('field selectors', () => {
  const pod: KubeObject = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'p', namespace: 'ns' },
    status: { phase: 'Running' },
  };
  it.each([
    ['metadata.name=p', true],
    ['metadata.name=q', false],
    ['metadata.namespace!=other', true],
    ['metadata.name=p,metadata.namespace=ns,status.phase=Running', true],
  ])('%s matches: %s', (selector, expected) => {
    expect(matchesFields(parseFieldSelector(selector), pod)).toBe(expected);
  });

  it('names the unsupported field', () => {
    expect(() => parseFieldSelector('spec.foo=bar')).toThrow(
      /field label not supported: spec.foo/,
    );
  });
});
