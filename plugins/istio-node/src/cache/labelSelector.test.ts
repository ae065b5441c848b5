import { matchesRequirements, parseLabelSelector } from './labelSelector';

// Selector syntax and semantics as in k8s.io/apimachinery/pkg/labels/selector.go
// (Kubernetes 1.32): equality, set-based and existence requirements, ANDed.
describe('parseLabelSelector / matchesRequirements (apimachinery labels/selector.go)', () => {
  const labels = {
    app: 'orders',
    tier: 'web',
    'backstage.io/kubernetes-id': 'orders',
  };

  it.each([
    ['', true],
    ['app=orders', true],
    ['app==orders', true],
    ['app!=orders', false],
    ['app=payments', false],
    ['tier in (web,api)', true],
    ['tier notin (web)', false],
    ['tier notin (api)', true],
    ['missing notin (x)', true],
    ['missing!=x', true],
    ['app', true],
    ['!app', false],
    ['!missing', true],
    ['backstage.io/kubernetes-id=orders,tier in (web, api)', true],
    ['backstage.io/kubernetes-id=orders,tier=api', false],
  ])('%s matches: %s', (selector, expected) => {
    expect(matchesRequirements(parseLabelSelector(selector), labels)).toBe(
      expected,
    );
  });

  it('refuses what does not parse, naming the requirement', () => {
    expect(() => parseLabelSelector('app=orders,=x')).toThrow(
      /cannot parse "=x"/,
    );
  });
});
