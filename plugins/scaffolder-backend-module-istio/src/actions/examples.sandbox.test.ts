import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSandbox, Sandbox } from '@ambient-mesh/mesh-sandbox';
import { parse } from 'yaml';
import { createIstioActions } from '../module';
import {
  actionContext,
  sandboxDeps,
  serveGatewayApiManifest,
} from '../__testUtils__/sandboxActions';

jest.setTimeout(60_000);

/** What must exist before an example of an action can run. */
const setups: Record<string, Array<Record<string, unknown>>> = {
  'istio:policy:apply': [{ namespace: 'reporting', waypoint: true }],
  'istio:namespace:offboard': [{ namespace: 'reporting', waypoint: true }],
};

const cases = createIstioActions({} as any).flatMap(action =>
  (action.examples ?? []).map(example => ({
    id: action.id,
    description: example.description,
    example: example.example,
  })),
);

describe('every example of every istio:* action', () => {
  let sandbox: Sandbox;
  beforeEach(async () => {
    sandbox = await startSandbox({ waypointDelayMs: 200, tickMs: 1000 });
  });
  afterEach(async () => {
    await sandbox.stop();
  });

  it('has examples for the seven actions', () => {
    expect([...new Set(cases.map(c => c.id))].sort()).toEqual([
      'istio:manifests:apply',
      'istio:mesh:check',
      'istio:mesh:provision',
      'istio:namespace:offboard',
      'istio:namespace:onboard',
      'istio:policy:apply',
      'istio:waypoint:apply',
    ]);
  });

  it.each(cases)('$id: $description', async ({ id, example }) => {
    const manifest =
      id === 'istio:mesh:provision'
        ? await serveGatewayApiManifest(sandbox)
        : undefined;
    const actions = createIstioActions({
      ...sandboxDeps(sandbox),
      gatewayApiManifests: { urls: manifest ? [manifest.url] : [] },
    });
    const byId = (actionId: string) => actions.find(a => a.id === actionId)!;
    for (const input of setups[id] ?? []) {
      await byId('istio:namespace:onboard').handler(actionContext(input).ctx);
    }
    const step = parse(example).steps[0];
    expect(step.action).toBe(id);
    let input = step.input;
    if (manifest) {
      input = { ...input, gatewayApiManifestUrl: manifest.url };
    }
    const workspace = mkdtempSync(join(tmpdir(), 'istio-example-'));
    if (id === 'istio:manifests:apply') {
      // What a skeleton's fetch:template leaves in the workspace
      mkdirSync(join(workspace, 'k8s'));
      writeFileSync(
        join(workspace, 'k8s', 'service.yaml'),
        'apiVersion: v1\nkind: Service\nmetadata:\n  name: hello\nspec:\n  selector:\n    app: hello\n  ports:\n    - name: http\n      port: 80\n',
      );
    }
    try {
      const run = actionContext(input);
      run.ctx.workspacePath = workspace;
      await byId(id).handler(run.ctx);
      // Every action reports a one-line summary; the check also its
      // eight checks, the others every object and the plan.
      expect(run.outputs.summary).toEqual(expect.any(String));
      expect(
        run.outputs.checks?.length ?? run.outputs.plan.steps.length,
      ).toBeGreaterThan(0);
      expect(run.outputs.ready ?? run.outputs.objects.length > 0).toBe(true);
    } finally {
      rmSync(workspace, { recursive: true, force: true });
      await manifest?.close();
    }
  });
});
