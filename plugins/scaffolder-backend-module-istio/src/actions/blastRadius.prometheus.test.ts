import {
  startPrometheus,
  startSandbox,
  Sandbox,
} from '@ambient-mesh/mesh-sandbox';
import { PrometheusCallerSource } from '@ambient-mesh/plugin-istio-node';
import { createNamespaceOnboardAction } from './namespaceOnboard';
import {
  actionContext,
  sandboxDeps,
  writesIn,
} from '../__testUtils__/sandboxActions';

jest.setTimeout(120_000);

/*
 * A default deny in `microservices` (the seed: frontend, orders, payments,
 * inventory, called by traefik and by reporting/reports, both outside the
 * mesh), with the callers a real Prometheus scraped from the sandbox's
 * Istio-format metrics (ztunnel labels per istio-ambient.md §5, ztunnel
 * src/proxy/metrics.rs).
 */
describe('the blast radius of a new default deny', () => {
  let sandbox: Sandbox;
  let prometheus: { url: string; stop: () => Promise<void> };

  beforeAll(async () => {
    sandbox = await startSandbox({ tickMs: 250, waypointDelayMs: 100 });
    prometheus = await startPrometheus({
      scrapeUrl: sandbox.metricsUrl,
      scrapeInterval: '1s',
    });
    // Until Prometheus has seen the callers' counters grow
    const source = new PrometheusCallerSource([
      { name: 'local', baseUrl: prometheus.url },
    ]);
    for (let i = 0; i < 60; i++) {
      const callers = await source.callers('sandbox', 'microservices');
      if (callers?.some(c => c.namespace === 'reporting')) break;
      await new Promise(r => setTimeout(r, 500));
    }
  });

  afterAll(async () => {
    await prometheus?.stop();
    await sandbox?.stop();
  });

  const deps = () => ({
    ...sandboxDeps(sandbox),
    callers: new PrometheusCallerSource([
      { name: 'local', baseUrl: prometheus.url },
    ]),
  });
  const input = {
    namespace: 'microservices',
    waypoint: true,
    waypointName: 'waypoint',
    defaultPolicies: true,
  };

  it('lists the observed callers it would block in the dry run, and refuses a real run without confirmation', async () => {
    const action = createNamespaceOnboardAction(deps());
    sandbox.requestLog.clear();
    const dry = actionContext(input, true);
    await action.handler(dry.ctx);
    const denied = dry.outputs.plan.blastRadius.deniedCallers.map(
      (c: any) => `${c.namespace}/${c.workload}`,
    );
    expect(denied).toEqual(
      expect.arrayContaining(['reporting/reports', 'traefik/traefik']),
    );
    expect(denied).not.toContain('microservices/frontend');
    expect(dry.outputs.plan.blastRadius.source).toBe(
      'prometheus local, last 1h',
    );
    expect(dry.logLines().join('\n')).toMatch(
      /Warning: The new policies deny \d+ current caller\(s\) seen by prometheus local, last 1h: .*reporting\/reports/,
    );
    expect(writesIn(sandbox)).toEqual([]);

    await expect(action.handler(actionContext(input).ctx)).rejects.toThrow(
      /Refusing to cut off current callers: .*reporting\/reports.*set confirmDeniedCallers: true/,
    );
    expect(writesIn(sandbox)).toEqual([]);
  });

  it('applies the allows before the deny when confirmed (request log order)', async () => {
    const action = createNamespaceOnboardAction(deps());
    sandbox.requestLog.clear();
    await action.handler(
      actionContext({ ...input, confirmDeniedCallers: true }).ctx,
    );
    const patches = writesIn(sandbox)
      .filter(e => e.path.includes('/authorizationpolicies/'))
      .map(e => e.path.split('/').pop());
    expect(patches).toEqual([
      'allow-waypoint',
      'allow-callers',
      'allow-nothing',
    ]);
  });

  it('sees no blocked caller once their namespaces are allowed', async () => {
    const action = createNamespaceOnboardAction(deps());
    const dry = actionContext(
      { ...input, allowNamespaces: ['microservices', 'reporting', 'traefik'] },
      true,
    );
    await action.handler(dry.ctx);
    // traefik and reports are not in the mesh: plaintext has no identity
    // to match a namespace rule (istio-ambient.md §4), so they stay blocked
    const denied = dry.outputs.plan.blastRadius.deniedCallers.map(
      (c: any) => `${c.namespace}/${c.workload}`,
    );
    expect(denied).toEqual(
      expect.arrayContaining(['reporting/reports', 'traefik/traefik']),
    );
    expect(dry.outputs.plan.blastRadius.checked).toBe(true);
  });
});
