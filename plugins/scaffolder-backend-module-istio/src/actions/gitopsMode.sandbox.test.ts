import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { parse } from 'yaml';
import { startSandbox, Sandbox } from '@ambient-mesh/mesh-sandbox';
import { createNamespaceOnboardAction } from './namespaceOnboard';
import { createWaypointApplyAction } from './waypointApply';
import {
  actionContext,
  getJson,
  sandboxDeps,
  writesIn,
} from '../__testUtils__/sandboxActions';
import { AuthorizeResult } from '@backstage/plugin-permission-common';

jest.setTimeout(60_000);

/** Every file under a directory, relative path -> content, sorted by path. */
function readTree(root: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else out[relative(root, path)] = readFileSync(path, 'utf8');
    }
  };
  walk(root);
  return Object.fromEntries(
    Object.entries(out).sort(([a], [b]) => (a < b ? -1 : 1)),
  );
}

// Resource (plural) names as the API server serves them (Kubernetes
// discovery, /apis/<group>/<version>)
const plural = (kind: string) =>
  `${kind.toLowerCase().replace(/([^aeiou])y$/, '$1ie')}s`;

const onboardInput = {
  namespace: 'reporting',
  waypoint: true,
  defaultPolicies: true,
  tracingSamplingPercentage: 10,
};

describe('gitops mode of the write actions against the sandbox', () => {
  let sandbox: Sandbox;
  const workspaces: string[] = [];
  const workspace = () => {
    const dir = mkdtempSync(join(tmpdir(), 'istio-gitops-'));
    workspaces.push(dir);
    return dir;
  };
  beforeEach(async () => {
    sandbox = await startSandbox({ waypointDelayMs: 200, tickMs: 1000 });
  });
  afterEach(async () => {
    await sandbox.stop();
    workspaces
      .splice(0)
      .forEach(d => rmSync(d, { recursive: true, force: true }));
  });

  it('renders the plan as files with 0 cluster writes, byte-identical on re-render, and the files are what apply mode sends', async () => {
    const deps = sandboxDeps(sandbox);
    const action = createNamespaceOnboardAction(deps);

    sandbox.requestLog.clear();
    const first = actionContext({ ...onboardInput, mode: 'gitops' });
    first.ctx.workspacePath = workspace();
    await action.handler(first.ctx);
    expect(writesIn(sandbox)).toEqual([]);
    expect(first.outputs.mode).toBe('gitops');
    expect(first.outputs.summary).toMatch(/^gitops: 7 file\(s\) rendered/);
    expect(first.outputs.objects.every((o: any) => o.planned)).toBe(true);
    const tree = readTree(first.ctx.workspacePath);
    expect(Object.keys(tree)).toEqual([...first.outputs.files].sort());
    expect(Object.keys(tree)).toEqual([
      'istio/sandbox/reporting/authorizationpolicy-allow-callers.yaml',
      'istio/sandbox/reporting/authorizationpolicy-allow-nothing.yaml',
      'istio/sandbox/reporting/authorizationpolicy-allow-waypoint.yaml',
      'istio/sandbox/reporting/gateway-waypoint.yaml',
      'istio/sandbox/reporting/namespace-reporting.yaml',
      'istio/sandbox/reporting/peerauthentication-default.yaml',
      'istio/sandbox/reporting/telemetry-waypoint-tracing.yaml',
    ]);

    // A second render of the unchanged state: the same bytes
    const second = actionContext({ ...onboardInput, mode: 'gitops' });
    second.ctx.workspacePath = workspace();
    await action.handler(second.ctx);
    expect(readTree(second.ctx.workspacePath)).toEqual(tree);
    expect(writesIn(sandbox)).toEqual([]);

    // Apply mode on the same state: one server-side apply per file, in the
    // files' order, and every field of each file is on the live object
    const applied = actionContext({ ...onboardInput, mode: 'apply' });
    await action.handler(applied.ctx);
    const patches = writesIn(sandbox).filter(w => w.method === 'PATCH');
    expect(patches.map(w => w.contentType)).toEqual(
      first.outputs.files.map(() => 'application/apply-patch+yaml'),
    );
    const pathOf = (o: any) => `${plural(o.kind)}/${o.metadata.name}`;
    expect(patches.map(w => w.path.split('/').slice(-2).join('/'))).toEqual(
      first.outputs.files.map((f: string) => pathOf(parse(tree[f]))),
    );
    for (const file of first.outputs.files as string[]) {
      const object = parse(tree[file]);
      const group = object.apiVersion.includes('/')
        ? `/apis/${object.apiVersion}`
        : `/api/${object.apiVersion}`;
      const ns =
        object.kind === 'Namespace'
          ? ''
          : `/namespaces/${object.metadata.namespace}`;
      const live = await getJson(
        sandbox,
        `${group}${ns}/${plural(object.kind)}/${object.metadata.name}`,
      );
      expect(live).toMatchObject(object);
    }
  });

  it('applies the same permission check as apply mode: a denied user gets no files', async () => {
    const deps = sandboxDeps(sandbox, { result: AuthorizeResult.DENY });
    const run = actionContext({ namespace: 'reporting', mode: 'gitops' });
    run.ctx.workspacePath = workspace();
    await expect(
      createWaypointApplyAction(deps).handler(run.ctx),
    ).rejects.toThrow(/may not change this namespace/);
    expect(readTree(run.ctx.workspacePath)).toEqual({});
    expect(writesIn(sandbox)).toEqual([]);
  });

  it('takes istio.gitops.defaultMode when the input names no mode', async () => {
    const deps = { ...sandboxDeps(sandbox), defaultMode: 'gitops' as const };
    const run = actionContext({
      namespace: 'reporting',
      enrollNamespace: true,
    });
    run.ctx.workspacePath = workspace();
    await createWaypointApplyAction(deps).handler(run.ctx);
    expect(run.outputs.mode).toBe('gitops');
    expect(writesIn(sandbox)).toEqual([]);
    expect(Object.keys(readTree(run.ctx.workspacePath))).toEqual([
      'istio/sandbox/reporting/gateway-waypoint.yaml',
      'istio/sandbox/reporting/namespace-reporting.yaml',
    ]);
  });
});
