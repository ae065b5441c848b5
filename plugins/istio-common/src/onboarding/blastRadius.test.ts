import { deniedCallers, observedCallersQuery } from './blastRadius';

// source_principal values in the shape ztunnel reports them
// (istio/ztunnel src/proxy/metrics.rs: spiffe://<td>/ns/<ns>/sa/<sa>, or unknown)
const frontend = {
  namespace: 'microservices',
  workload: 'frontend',
  principal: 'spiffe://cluster.local/ns/microservices/sa/frontend',
};
const reports = {
  namespace: 'reporting',
  workload: 'reports',
  principal: 'unknown',
};
const billing = {
  namespace: 'billing',
  workload: 'billing',
  principal: 'spiffe://cluster.local/ns/billing/sa/billing',
};

describe('the callers a change denies', () => {
  it('a default deny with namespace allows blocks the others, and plaintext always', () => {
    expect(
      deniedCallers([frontend, reports, billing], {
        mode: 'allow-only',
        rules: [{ namespaces: ['microservices', 'reporting'] }],
      }),
    ).toEqual([reports, billing]);
  });

  it('a DENY with an empty rule blocks everyone', () => {
    expect(
      deniedCallers([frontend, reports], { mode: 'deny', rules: [{}] }),
    ).toEqual([frontend, reports]);
  });

  it('service account rules match the principal, short or long', () => {
    expect(
      deniedCallers([frontend, billing], {
        mode: 'deny',
        rules: [{ principals: ['billing/billing'] }],
      }),
    ).toEqual([billing]);
    expect(
      deniedCallers([frontend, billing], {
        mode: 'allow-only',
        rules: [{ principals: ['cluster.local/ns/microservices/sa/frontend'] }],
      }),
    ).toEqual([billing]);
  });

  it('escapes the namespace in the PromQL', () => {
    const query = observedCallersQuery('a"b', '1h');
    expect(query).toContain('destination_workload_namespace="a\\"b"');
    expect(() => observedCallersQuery('ns', '1h) or vector(1')).toThrow();
  });
});
