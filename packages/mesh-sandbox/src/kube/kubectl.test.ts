/*
 * The sandbox's API server driven by the real kubectl binary (/usr/bin/kubectl,
 * or KUBECTL), with the kubeconfig startSandbox() writes. Each behaviour names
 * the upstream code that defines it; results are checked through the API.
 */
import {
  ApiextensionsV1Api,
  AppsV1Api,
  CoreV1Api,
  CustomObjectsApi,
} from '@kubernetes/client-node';
import { ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FIXTURES_DIR } from '../seed/crds';
import { startSandbox, Sandbox } from '../startSandbox';
import { eventually, failure, kubeConfigFor } from '../__testUtils__/clients';

jest.setTimeout(60000);

const KUBECTL = process.env.KUBECTL ?? '/usr/bin/kubectl';

interface Result {
  stdout: string;
  stderr: string;
}

describe('real kubectl against the sandbox', () => {
  let sandbox: Sandbox;
  let dir: string;
  let core: CoreV1Api;
  let custom: CustomObjectsApi;
  let crds: ApiextensionsV1Api;
  const env = () => ({
    ...process.env,
    KUBECONFIG: join(dir, 'kubeconfig'),
    HOME: dir,
  });

  /** Runs kubectl; rejects with its stderr when it exits non-zero. */
  const kubectl = (...args: string[]) =>
    new Promise<Result>((resolve, reject) => {
      execFile(
        KUBECTL,
        ['--cache-dir', join(dir, 'cache'), ...args],
        { env: env(), timeout: 30000 },
        (error, stdout, stderr) => {
          if (error) {
            reject(
              new Error(
                `kubectl ${args.join(' ')} failed: ${stderr || error.message}`,
              ),
            );
          } else resolve({ stdout, stderr });
        },
      );
    });

  const file = (name: string, text: string) => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };

  beforeAll(async () => {
    if (!existsSync(KUBECTL)) {
      throw new Error(
        `kubectl is not installed at ${KUBECTL}: install kubectl 1.32 or later (https://kubernetes.io/docs/tasks/tools/) or set KUBECTL to its path`,
      );
    }
    // No Gateway API CRDs in the seed: the test installs them as the
    // platform's own setup does, with kubectl apply --server-side.
    sandbox = await startSandbox({ gatewayApi: false, waypointDelayMs: 300 });
    dir = mkdtempSync(join(tmpdir(), 'mesh-sandbox-kubectl-'));
    writeFileSync(join(dir, 'kubeconfig'), sandbox.kubeconfig);
    const kc = kubeConfigFor(sandbox);
    core = kc.makeApiClient(CoreV1Api);
    custom = kc.makeApiClient(CustomObjectsApi);
    crds = kc.makeApiClient(ApiextensionsV1Api);
  });

  afterAll(async () => {
    await sandbox?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('applies the Gateway API v1.5.0 standard-install bundle server-side, admission policy included (kubectl pkg/cmd/apply, apiserver pkg/endpoints/handlers/patch.go applyPatcher)', async () => {
    const bundle = join(FIXTURES_DIR, 'gateway-api', 'standard-install.yaml');
    const { stdout } = await kubectl(
      'apply',
      '--server-side=true',
      '-f',
      bundle,
    );
    expect(stdout).toContain(
      'customresourcedefinition.apiextensions.k8s.io/tlsroutes.gateway.networking.k8s.io serverside-applied',
    );
    expect(stdout).toContain(
      'validatingadmissionpolicy.admissionregistration.k8s.io/safe-upgrades.gateway.networking.k8s.io serverside-applied',
    );
    expect(stdout).toContain(
      'validatingadmissionpolicybinding.admissionregistration.k8s.io/safe-upgrades.gateway.networking.k8s.io serverside-applied',
    );
    const tlsroutes = await crds.readCustomResourceDefinition({
      name: 'tlsroutes.gateway.networking.k8s.io',
    });
    expect(
      tlsroutes.metadata?.annotations?.[
        'gateway.networking.k8s.io/bundle-version'
      ],
    ).toBe('v1.5.0');
    // v1.5.0 serves TLSRoute as v1 only (v1alpha2/v1alpha3 are served: false).
    expect(
      tlsroutes.spec.versions.filter(v => v.served).map(v => v.name),
    ).toEqual(['v1']);
    // apiextensions-apiserver's establishing controller marks it Established.
    expect(tlsroutes.status?.conditions).toContainEqual(
      expect.objectContaining({ type: 'Established', status: 'True' }),
    );
    await expect(
      kubectl('get', '--raw', '/apis/gateway.networking.k8s.io/v1alpha2'),
    ).rejects.toThrow(/NotFound|not find/);
    const policy = await kubectl(
      'get',
      'validatingadmissionpolicy',
      'safe-upgrades.gateway.networking.k8s.io',
      '-o',
      'jsonpath={.spec.validations[1].message}',
    );
    expect(policy.stdout).toContain(
      'Installing CRDs with version before v1.5.0 is prohibited by default.',
    );

    // A second server-side apply of the same bundle changes nothing.
    const before = tlsroutes.metadata?.resourceVersion;
    await kubectl('apply', '--server-side=true', '-f', bundle);
    const after = await crds.readCustomResourceDefinition({
      name: 'tlsroutes.gateway.networking.k8s.io',
    });
    expect(after.metadata?.resourceVersion).toBe(before);
  });

  it('labels a namespace with --overwrite (kubectl pkg/cmd/label: a JSON merge patch)', async () => {
    await kubectl(
      'label',
      'namespace',
      'reporting',
      'istio.io/dataplane-mode=none',
    );
    const { stdout } = await kubectl(
      'label',
      'namespace',
      'reporting',
      'istio.io/dataplane-mode=ambient',
      '--overwrite',
    );
    expect(stdout).toContain('namespace/reporting labeled');
    const ns = await core.readNamespace({ name: 'reporting' });
    expect(ns.metadata?.labels?.['istio.io/dataplane-mode']).toBe('ambient');
    const again = await kubectl(
      'label',
      'namespace',
      'microservices',
      'istio.io/dataplane-mode=ambient',
      '--overwrite',
    );
    expect(again.stdout).toContain('namespace/microservices not labeled');
  });

  it('applies a directory of Istio resources with default validation: kubectl reads /openapi/v3 and leaves checking to the server with fieldValidation=Strict (cli-runtime pkg/resource/query_param_verifier_v3.go)', async () => {
    sandbox.requestLog.clear();
    const { stdout } = await kubectl(
      'apply',
      '-f',
      join(FIXTURES_DIR, 'istio'),
    );
    expect(stdout).toContain(
      'peerauthentication.security.istio.io/default created',
    );
    expect(stdout).toContain(
      'authorizationpolicy.security.istio.io/orders-viewer created',
    );
    expect(stdout).toContain(
      'telemetry.telemetry.istio.io/microservices-tracing created',
    );
    const entries = sandbox.requestLog.list();
    expect(
      entries.some(e => e.path === '/openapi/v3' && e.status === 200),
    ).toBe(true);
    const creates = entries.filter(e => e.method === 'POST');
    expect(creates).toHaveLength(3);
    expect(creates.every(e => e.query.includes('fieldValidation=Strict'))).toBe(
      true,
    );
    const pa = (await custom.getNamespacedCustomObject({
      group: 'security.istio.io',
      version: 'v1',
      namespace: 'microservices',
      plural: 'peerauthentications',
      name: 'default',
    })) as any;
    expect(pa.spec.mtls.mode).toBe('STRICT');
    // kubectl's client-side apply keeps the last-applied annotation.
    expect(
      pa.metadata.annotations[
        'kubectl.kubernetes.io/last-applied-configuration'
      ],
    ).toContain('"STRICT"');
    const again = await kubectl('apply', '-f', join(FIXTURES_DIR, 'istio'));
    expect(again.stdout).toContain(
      'peerauthentication.security.istio.io/default unchanged',
    );
  });

  it('creates a namespace from the protobuf body kubectl sends for built-in kinds (client-go rest/client.go: generated clients are forced to protobuf)', async () => {
    sandbox.requestLog.clear();
    const { stdout } = await kubectl('create', 'namespace', 'x');
    expect(stdout).toContain('namespace/x created');
    const post = sandbox.requestLog
      .list()
      .find(e => e.method === 'POST' && e.path === '/api/v1/namespaces');
    expect(post).toMatchObject({
      contentType: 'application/vnd.kubernetes.protobuf',
      status: 201,
    });
    const ns = await core.readNamespace({ name: 'x' });
    expect(ns.metadata?.labels?.['kubernetes.io/metadata.name']).toBe('x');
    expect(ns.spec?.finalizers).toEqual(['kubernetes']);
    expect(ns.status?.phase).toBe('Active');

    await kubectl(
      'create',
      'configmap',
      'settings',
      '-n',
      'x',
      '--from-literal=mode=ambient',
    );
    const cm = await core.readNamespacedConfigMap({
      name: 'settings',
      namespace: 'x',
    });
    expect(cm.data).toEqual({ mode: 'ambient' });

    // Nested messages, IntOrString and the *int32 replicas (k8s.io/api
    // apps/v1 and core/v1 generated.proto).
    await kubectl(
      'create',
      'deployment',
      'web',
      '-n',
      'x',
      '--image=nginx',
      '--port=80',
      '--replicas=0',
    );
    const apps = kubeConfigFor(sandbox).makeApiClient(AppsV1Api);
    const web = await apps.readNamespacedDeployment({
      name: 'web',
      namespace: 'x',
    });
    expect(web.spec?.replicas).toBe(0);
    expect(web.spec?.selector.matchLabels).toEqual({ app: 'web' });
    expect(web.spec?.template.spec?.containers).toEqual([
      {
        name: 'nginx',
        image: 'nginx',
        ports: [{ containerPort: 80 }],
        resources: {},
      },
    ]);
    await kubectl(
      'create',
      'service',
      'clusterip',
      'web',
      '-n',
      'x',
      '--tcp=80:8080',
    );
    const svc = await core.readNamespacedService({
      name: 'web',
      namespace: 'x',
    });
    expect(svc.spec?.ports).toEqual([
      { name: '80-8080', port: 80, protocol: 'TCP', targetPort: 8080 },
    ]);
  });

  it('prints the server-side Table: built-in columns from kubernetes pkg/printers/internalversion/printers.go, CRD additionalPrinterColumns from apiextensions-apiserver pkg/registry/customresource/tableconvertor', async () => {
    const pods = await kubectl('get', 'pods', '-n', 'microservices');
    expect(pods.stdout.split('\n')[0]).toMatch(
      /^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE$/,
    );
    expect(pods.stdout).toMatch(/frontend-\S+\s+1\/1\s+Running\s+0\s+\S+/);

    const services = await kubectl('get', 'services', '-n', 'microservices');
    expect(services.stdout.split('\n')[0]).toMatch(
      /^NAME\s+TYPE\s+CLUSTER-IP\s+EXTERNAL-IP\s+PORT\(S\)\s+AGE$/,
    );
    expect(services.stdout).toMatch(
      /orders\s+ClusterIP\s+10\.96\.\S+\s+<none>\s+8080\/TCP\s+/,
    );

    const deployments = await kubectl(
      'get',
      'deployments',
      '-n',
      'microservices',
      '-o',
      'wide',
    );
    expect(deployments.stdout.split('\n')[0]).toMatch(
      /^NAME\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+AGE\s+CONTAINERS\s+IMAGES\s+SELECTOR$/,
    );

    const namespaces = await kubectl('get', 'namespaces');
    expect(namespaces.stdout).toMatch(/^NAME\s+STATUS\s+AGE$/m);
    expect(namespaces.stdout).toMatch(/^microservices\s+Active\s+60m$/m);

    const peer = await kubectl(
      'get',
      'peerauthentications',
      '-n',
      'microservices',
    );
    expect(peer.stdout).toMatch(/^NAME\s+MODE\s+AGE$/m);
    expect(peer.stdout).toMatch(/^default\s+STRICT\s+\S+$/m);

    const crdList = await kubectl('get', 'crd');
    expect(crdList.stdout).toMatch(/^NAME\s+CREATED AT$/m);
    expect(crdList.stdout).toMatch(
      /^gateways\.gateway\.networking\.k8s\.io\s+\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/m,
    );
  });

  it('waits for a waypoint Gateway to be Programmed and shows it in Table, describe and wait (kubectl pkg/cmd/wait, pkg/describe)', async () => {
    const gateway = file(
      'waypoint.yaml',
      [
        'apiVersion: gateway.networking.k8s.io/v1',
        'kind: GatewayClass',
        'metadata:',
        '  name: istio-waypoint',
        'spec:',
        '  controllerName: istio.io/mesh-controller',
        '---',
        'apiVersion: gateway.networking.k8s.io/v1',
        'kind: Gateway',
        'metadata:',
        '  name: waypoint',
        '  namespace: microservices',
        '  labels:',
        '    istio.io/waypoint-for: service',
        'spec:',
        '  gatewayClassName: istio-waypoint',
        '  listeners:',
        '  - name: mesh',
        '    port: 15008',
        '    protocol: HBONE',
        '',
      ].join('\n'),
    );
    await kubectl('apply', '-f', gateway);
    const { stdout } = await kubectl(
      'wait',
      '--for=condition=Programmed',
      'gateway/waypoint',
      '-n',
      'microservices',
      '--timeout=20s',
    );
    expect(stdout).toContain(
      'gateway.gateway.networking.k8s.io/waypoint condition met',
    );
    const stored = (await custom.getNamespacedCustomObject({
      group: 'gateway.networking.k8s.io',
      version: 'v1',
      namespace: 'microservices',
      plural: 'gateways',
      name: 'waypoint',
    })) as any;
    const programmed = stored.status.conditions.find(
      (c: any) => c.type === 'Programmed',
    );
    expect(programmed.status).toBe('True');
    // The schema's defaults were filled in (allowedRoutes.namespaces.from).
    expect(stored.spec.listeners[0].allowedRoutes).toEqual({
      namespaces: { from: 'Same' },
    });

    const table = await kubectl('get', 'gateways', '-n', 'microservices');
    expect(table.stdout).toMatch(
      /^NAME\s+CLASS\s+ADDRESS\s+PROGRAMMED\s+AGE$/m,
    );
    expect(table.stdout).toMatch(
      /^waypoint\s+istio-waypoint\s+10\.96\.\S+\s+True\s+\S+$/m,
    );

    const described = await kubectl(
      'describe',
      'gateway',
      'waypoint',
      '-n',
      'microservices',
    );
    expect(described.stdout).toMatch(/Gateway Class Name:\s+istio-waypoint/);
    expect(described.stdout).toMatch(/Type:\s+Programmed/);
    const ns = await kubectl('describe', 'namespace', 'microservices');
    expect(ns.stdout).toMatch(/Status:\s+Active/);
    expect(ns.stdout).toContain('No resource quota.');
  });

  it('streams changes with get -w, one Table row per event (apiserver pkg/endpoints/handlers/watch.go)', async () => {
    const child: ChildProcess = spawn(
      KUBECTL,
      ['--cache-dir', join(dir, 'cache'), 'get', 'namespaces', '-w'],
      { env: env() },
    );
    let output = '';
    child.stdout!.on('data', chunk => {
      output += String(chunk);
    });
    try {
      await eventually(() => output.includes('microservices'), 15000);
      expect(output.split('\n')[0]).toMatch(/^NAME\s+STATUS\s+AGE$/);
      await core.createNamespace({ body: { metadata: { name: 'watched' } } });
      await eventually(() => /^watched\s+Active\s+\d+s$/m.test(output), 15000);
      // The header is printed once.
      expect(output.match(/^NAME\s+STATUS/gm)).toHaveLength(1);
    } finally {
      child.kill();
    }
  });

  it('scales a Deployment through its autoscaling/v1 Scale subresource (kubernetes pkg/registry/apps/deployment/storage ScaleREST)', async () => {
    const { stdout } = await kubectl(
      'scale',
      'deployment',
      'orders',
      '-n',
      'microservices',
      '--replicas=3',
    );
    expect(stdout).toContain('deployment.apps/orders scaled');
    const apps = kubeConfigFor(sandbox).makeApiClient(AppsV1Api);
    const orders = await apps.readNamespacedDeployment({
      name: 'orders',
      namespace: 'microservices',
    });
    expect(orders.spec?.replicas).toBe(3);
    const scale = await apps.readNamespacedDeploymentScale({
      name: 'orders',
      namespace: 'microservices',
    });
    expect(scale.spec?.replicas).toBe(3);
    expect(scale.status?.selector).toBe('app=orders');
  });

  it('deletes a namespace and the objects in it (kubernetes pkg/controller/namespace/deletion)', async () => {
    await kubectl('create', 'namespace', 'doomed');
    await kubectl(
      'create',
      'configmap',
      'leftover',
      '-n',
      'doomed',
      '--from-literal=a=b',
    );
    const events: string[] = [];
    const unsubscribe = sandbox.store.subscribe(event => {
      if (
        event.object.metadata.name === 'doomed' ||
        event.object.metadata.namespace === 'doomed'
      ) {
        const phase = (event.object.status as any)?.phase;
        events.push(
          `${event.type} ${event.object.kind}${phase ? ` ${phase}` : ''}`,
        );
      }
    });
    const { stdout } = await kubectl('delete', 'namespace', 'doomed');
    unsubscribe();
    expect(stdout).toContain('namespace "doomed" deleted');
    // Terminating first, the contents next, the namespace last.
    expect(events).toEqual([
      'MODIFIED Namespace Terminating',
      'DELETED ConfigMap',
      'DELETED Namespace Terminating',
    ]);
    expect((await failure(core.readNamespace({ name: 'doomed' }))).code).toBe(
      404,
    );
    const left = await core.listConfigMapForAllNamespaces({
      fieldSelector: 'metadata.namespace=doomed',
    });
    expect(left.items).toHaveLength(0);
  });

  it('stores nothing on apply --dry-run=server (apiserver dryRun=All)', async () => {
    const manifest = file(
      'dry.yaml',
      'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: dry-run-only\n',
    );
    const { stdout } = await kubectl(
      'apply',
      '--dry-run=server',
      '-f',
      manifest,
    );
    expect(stdout).toContain('namespace/dry-run-only created (server dry run)');
    expect(
      (await failure(core.readNamespace({ name: 'dry-run-only' }))).code,
    ).toBe(404);
  });

  it('rejects unknown fields of a Sail ZTunnel under Strict validation and prunes them otherwise (apiextensions-apiserver pkg/apiserver/schema/pruning/algorithm.go)', async () => {
    const manifest = file(
      'ztunnel.yaml',
      [
        'apiVersion: sailoperator.io/v1',
        'kind: ZTunnel',
        'metadata:',
        '  name: default',
        'spec:',
        '  profile: ambient',
        '  namespace: ztunnel',
        '',
      ].join('\n'),
    );
    await expect(kubectl('apply', '-f', manifest)).rejects.toThrow(
      'strict decoding error: unknown field "spec.profile"',
    );
    await expect(
      custom.getClusterCustomObject({
        group: 'sailoperator.io',
        version: 'v1',
        plural: 'ztunnels',
        name: 'default',
      }),
    ).rejects.toThrow();
    const { stderr } = await kubectl(
      'apply',
      '--server-side',
      '--validate=warn',
      '-f',
      manifest,
    );
    expect(stderr).toContain('unknown field "spec.profile"');
    const stored = (await custom.getClusterCustomObject({
      group: 'sailoperator.io',
      version: 'v1',
      plural: 'ztunnels',
      name: 'default',
    })) as any;
    // Pruned, and defaulted from the Sail 1.28 schema.
    expect(stored.spec).toEqual({ namespace: 'ztunnel', version: 'v1.28.7' });
  });
});
