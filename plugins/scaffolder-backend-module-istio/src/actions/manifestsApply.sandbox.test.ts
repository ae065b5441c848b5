import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSandbox, Sandbox } from '@ambient-mesh/mesh-sandbox';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { createManifestsApplyAction } from './manifestsApply';
import {
  actionContext,
  fetchApply,
  getJson,
  sandboxDeps,
  writesIn,
} from '../__testUtils__/sandboxActions';

jest.setTimeout(60_000);

/** Polls until `probe` gives a value (the sandbox's controllers run on ticks). */
async function waitFor<T>(probe: () => Promise<T | undefined>): Promise<T> {
  for (let i = 0; i < 100; i++) {
    const value = await probe();
    if (value !== undefined) return value;
    await new Promise(r => setTimeout(r, 100));
  }
  throw new Error('the sandbox never reached the expected state');
}

// The manifests the ambient-service skeleton generates
// (templates/ambient-service/skeleton/k8s), rendered for "hello" in the
// namespace "microservices", enrolled in ambient mode by the sandbox's seed
const deployment = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: hello
  namespace: microservices
  labels:
    app: hello
    backstage.io/kubernetes-id: hello
spec:
  replicas: 2
  selector:
    matchLabels:
      app: hello
  template:
    metadata:
      labels:
        app: hello
        backstage.io/kubernetes-id: hello
    spec:
      serviceAccountName: hello
      containers:
        - name: hello
          image: ghcr.io/your-org/hello:latest
          ports:
            - name: http
              containerPort: 8080
`;
const service = `apiVersion: v1
kind: ServiceAccount
metadata:
  name: hello
  namespace: microservices
  labels:
    backstage.io/kubernetes-id: hello
---
apiVersion: v1
kind: Service
metadata:
  name: hello
  namespace: microservices
  labels:
    app: hello
spec:
  selector:
    app: hello
  ports:
    - name: http
      port: 80
      targetPort: http
`;

describe('istio:manifests:apply against the sandbox', () => {
  let sandbox: Sandbox;
  let workspace: string;
  beforeEach(async () => {
    sandbox = await startSandbox({ tickMs: 200 });
    workspace = mkdtempSync(join(tmpdir(), 'istio-manifests-'));
    mkdirSync(join(workspace, 'k8s'));
    writeFileSync(join(workspace, 'k8s', 'deployment.yaml'), deployment);
    writeFileSync(join(workspace, 'k8s', 'service.yaml'), service);
  });
  afterEach(async () => {
    await sandbox.stop();
    rmSync(workspace, { recursive: true, force: true });
  });

  const run = (input: Record<string, unknown>, dryRun = false) => {
    const context = actionContext(input, dryRun);
    context.ctx.workspacePath = workspace;
    return context;
  };

  it('plans in a dry run with 0 writes, then applies; the controllers start pods captured by ztunnel', async () => {
    const action = createManifestsApplyAction(sandboxDeps(sandbox));
    sandbox.requestLog.clear();
    const dry = run({}, true);
    await action.handler(dry.ctx);
    expect(writesIn(sandbox)).toEqual([]);
    expect(dry.outputs.summary).toBe('dry run, would be: 3 created');
    expect(dry.outputs.namespaces).toEqual(['microservices']);

    const applied = run({});
    await action.handler(applied.ctx);
    expect(applied.outputs.summary).toBe('3 created');
    expect(writesIn(sandbox).map(w => `${w.method} ${w.contentType}`)).toEqual(
      Array(3).fill('PATCH application/apply-patch+yaml'),
    );
    const live = await getJson(
      sandbox,
      '/apis/apps/v1/namespaces/microservices/deployments/hello',
    );
    expect(live.metadata.managedFields[0].manager).toBe('backstage-istio');

    // In the ambient namespace the sandbox's controllers start the pods and
    // the CNI marks them captured (annotation ambient.istio.io/redirection:
    // enabled, istio/istio 1.28 cni/pkg/nodeagent)
    const pods = await waitFor(async () => {
      const list = await getJson(
        sandbox,
        '/api/v1/namespaces/microservices/pods?labelSelector=app%3Dhello',
      );
      const captured = list.items.filter(
        (p: any) =>
          p.metadata.annotations?.['ambient.istio.io/redirection'] ===
          'enabled',
      );
      return captured.length === 2 ? captured : undefined;
    });
    expect(pods.map((p: any) => p.spec.serviceAccountName)).toEqual([
      'hello',
      'hello',
    ]);

    // Again: nothing to write
    sandbox.requestLog.clear();
    const again = run({});
    await action.handler(again.ctx);
    expect(again.outputs.summary).toBe(
      'unchanged: 3 object(s) already as requested',
    );
    expect(writesIn(sandbox)).toEqual([]);
  });

  it('leaves alone an object another manager owns, unless overwrite', async () => {
    await fetchApply(
      sandbox,
      '/api/v1/namespaces/microservices/services/hello',
      {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: 'hello', namespace: 'microservices' },
        spec: { selector: { app: 'other' }, ports: [{ port: 80 }] },
      },
      'argocd-controller',
    );
    const action = createManifestsApplyAction(sandboxDeps(sandbox));
    sandbox.requestLog.clear();
    await expect(action.handler(run({}).ctx)).rejects.toThrow(
      /Service microservices\/hello \(managed by argocd-controller\).*overwrite: true/,
    );
    expect(writesIn(sandbox)).toEqual([]);

    const forced = run({ overwrite: true });
    await action.handler(forced.ctx);
    const live = await getJson(
      sandbox,
      '/api/v1/namespaces/microservices/services/hello',
    );
    expect(live.spec.selector).toEqual({ app: 'hello' });
  });

  it('refuses a user without the namespace permission, a protected namespace and a kind it does not apply, writing nothing', async () => {
    sandbox.requestLog.clear();
    const denied = createManifestsApplyAction(
      sandboxDeps(sandbox, { result: AuthorizeResult.DENY }),
    );
    await expect(denied.handler(run({}).ctx)).rejects.toThrow(
      /may not change this namespace/,
    );
    const action = createManifestsApplyAction(sandboxDeps(sandbox));
    writeFileSync(
      join(workspace, 'k8s', 'service.yaml'),
      service.replace(/namespace: microservices/g, 'namespace: istio-system'),
    );
    await expect(action.handler(run({}).ctx)).rejects.toThrow(
      /"istio-system" in cluster sandbox is protected/,
    );
    writeFileSync(
      join(workspace, 'k8s', 'rbac.yaml'),
      'apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata:\n  name: admin\n',
    );
    await expect(action.handler(run({}).ctx)).rejects.toThrow(
      /k8s\/rbac.yaml \(document 1\): rbac.authorization.k8s.io\/v1 ClusterRoleBinding "admin" is not applied/,
    );
    await expect(action.handler(run({ path: '../etc' }).ctx)).rejects.toThrow(
      /outside the workspace/,
    );
    expect(writesIn(sandbox)).toEqual([]);
  });

  it('reads no file through a link out of the workspace, and says which link', async () => {
    const outside = mkdtempSync(join(tmpdir(), 'istio-outside-'));
    try {
      // A file of the backend's host that happens to be a valid manifest
      writeFileSync(
        join(outside, 'host.yaml'),
        'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: host-file\n  namespace: microservices\ndata:\n  secret: from-the-host\n',
      );
      symlinkSync(join(outside, 'host.yaml'), join(workspace, 'k8s', 'x.yaml'));
      const action = createManifestsApplyAction(sandboxDeps(sandbox));
      sandbox.requestLog.clear();
      for (const dryRun of [true, false]) {
        await expect(action.handler(run({}, dryRun).ctx)).rejects.toThrow(
          /Input "path": k8s\/x.yaml is a link to a file outside the workspace/,
        );
      }
      expect(writesIn(sandbox)).toEqual([]);
      // A link to a manifest inside the workspace is read
      rmSync(join(workspace, 'k8s', 'x.yaml'));
      mkdirSync(join(workspace, 'shared'));
      writeFileSync(
        join(workspace, 'shared', 'config.yaml'),
        'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: shared\n  namespace: microservices\n',
      );
      symlinkSync(
        join(workspace, 'shared', 'config.yaml'),
        join(workspace, 'k8s', 'x.yaml'),
      );
      const dry = run({}, true);
      await action.handler(dry.ctx);
      expect(dry.outputs.summary).toBe('dry run, would be: 4 created');
    } finally {
      rmSync(outside, { recursive: true, force: true });
    }
  });

  it('gitops mode renders the same objects as files with 0 cluster writes', async () => {
    const action = createManifestsApplyAction(sandboxDeps(sandbox));
    sandbox.requestLog.clear();
    const rendered = run({ mode: 'gitops' });
    await action.handler(rendered.ctx);
    expect(writesIn(sandbox)).toEqual([]);
    expect(
      readdirSync(join(workspace, 'istio', 'sandbox', 'microservices')).sort(),
    ).toEqual([
      'deployment-hello.yaml',
      'service-hello.yaml',
      'serviceaccount-hello.yaml',
    ]);
  });
});
