import {
  ApisApi,
  AppsV1Api,
  CoreV1Api,
  CustomObjectsApi,
  KubernetesObject,
  KubernetesObjectApi,
  PatchStrategy,
  setHeaderOptions,
  Watch,
} from '@kubernetes/client-node';
import https from 'node:https';
import { startSandbox, Sandbox } from '../startSandbox';
import { eventually, failure, kubeConfigFor } from '../__testUtils__/clients';

jest.setTimeout(30000);

describe('Kubernetes API server', () => {
  let sandbox: Sandbox;
  let core: CoreV1Api;
  let apps: AppsV1Api;
  let custom: CustomObjectsApi;
  let objects: KubernetesObjectApi;

  beforeAll(async () => {
    sandbox = await startSandbox({ waypointDelayMs: 300 });
    const kc = kubeConfigFor(sandbox);
    core = kc.makeApiClient(CoreV1Api);
    apps = kc.makeApiClient(AppsV1Api);
    custom = kc.makeApiClient(CustomObjectsApi);
    objects = KubernetesObjectApi.makeApiClient(kc);
  });

  afterAll(async () => {
    await sandbox.stop();
  });

  it('serves over HTTPS with a certificate the kubeconfig CA verifies', async () => {
    expect(sandbox.kubernetesUrl).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const untrusted = new Promise<void>((resolve, reject) => {
      https
        .get(
          `${sandbox.kubernetesUrl}/version`,
          { agent: new https.Agent() },
          () => reject(new Error('trusted')),
        )
        .on('error', error =>
          /self-signed|unable to verify/i.test(error.message)
            ? resolve()
            : reject(error),
        );
    });
    await untrusted;
    const version = await kubeConfigFor(sandbox)
      .makeApiClient(CoreV1Api)
      .listNamespace();
    expect(version.items.length).toBeGreaterThan(0);
  });

  it('answers discovery for the core group, API groups and CRD groups', async () => {
    const resources = await core.getAPIResources();
    expect(resources.resources.map(r => r.name)).toEqual(
      expect.arrayContaining([
        'pods',
        'pods/status',
        'services',
        'namespaces',
        'configmaps',
      ]),
    );
    const groups = await kubeConfigFor(sandbox)
      .makeApiClient(ApisApi)
      .getAPIVersions();
    expect(groups.groups.map(g => g.name)).toEqual(
      expect.arrayContaining([
        'apps',
        'gateway.networking.k8s.io',
        'security.istio.io',
        'sailoperator.io',
      ]),
    );
    const gatewayApi = await custom.getAPIResources({
      group: 'gateway.networking.k8s.io',
      version: 'v1',
    });
    expect(gatewayApi.resources).toContainEqual(
      expect.objectContaining({
        name: 'gateways',
        kind: 'Gateway',
        namespaced: true,
      }),
    );
    const sail = await custom.getAPIResources({
      group: 'sailoperator.io',
      version: 'v1',
    });
    expect(sail.resources).toContainEqual(
      expect.objectContaining({ name: 'istios', namespaced: false }),
    );
    // KubernetesObjectApi resolves kinds through the same discovery
    const read = await objects
      .read({
        apiVersion: 'sailoperator.io/v1',
        kind: 'Istio',
        metadata: { name: 'missing' },
      })
      .catch((e: { code: number }) => e.code);
    expect(read).toBe(404);
  });

  it('creates, gets, updates and deletes with resourceVersion and generation', async () => {
    await core.createNamespace({ body: { metadata: { name: 'crud' } } });
    const created = await core.createNamespacedConfigMap({
      namespace: 'crud',
      body: {
        metadata: { name: 'settings', labels: { tier: 'a' } },
        data: { a: '1' },
      },
    });
    expect(created.metadata?.uid).toBeTruthy();
    expect(created.metadata?.resourceVersion).toBeTruthy();
    const read = await core.readNamespacedConfigMap({
      name: 'settings',
      namespace: 'crud',
    });
    expect(read.data).toEqual({ a: '1' });

    read.data = { a: '2' };
    const updated = await core.replaceNamespacedConfigMap({
      name: 'settings',
      namespace: 'crud',
      body: read,
    });
    expect(updated.data).toEqual({ a: '2' });
    expect(Number(updated.metadata?.resourceVersion)).toBeGreaterThan(
      Number(read.metadata?.resourceVersion),
    );

    // the stale copy now conflicts
    const stale = await failure(
      core.replaceNamespacedConfigMap({
        name: 'settings',
        namespace: 'crud',
        body: { ...read, data: { a: '3' } },
      }),
    );
    expect(stale.code).toBe(409);
    expect(stale.body).toMatchObject({
      kind: 'Status',
      reason: 'Conflict',
      code: 409,
    });

    const again = await failure(
      core.createNamespacedConfigMap({
        namespace: 'crud',
        body: { metadata: { name: 'settings' } },
      }),
    );
    expect(again.body).toMatchObject({ reason: 'AlreadyExists', code: 409 });

    await core.deleteNamespacedConfigMap({
      name: 'settings',
      namespace: 'crud',
    });
    const gone = await failure(
      core.readNamespacedConfigMap({ name: 'settings', namespace: 'crud' }),
    );
    expect(gone.code).toBe(404);
    expect(gone.body).toMatchObject({
      reason: 'NotFound',
      message: 'configmaps "settings" not found',
    });
  });

  it('bumps generation only when the spec changes', async () => {
    const deployment = await apps.readNamespacedDeployment({
      name: 'orders',
      namespace: 'microservices',
    });
    const generation = deployment.metadata!.generation!;
    const relabelled = await apps.patchNamespacedDeployment(
      {
        name: 'orders',
        namespace: 'microservices',
        body: { metadata: { labels: { touched: 'yes' } } },
      },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    );
    expect(relabelled.metadata?.generation).toBe(generation);
    const scaled = await apps.patchNamespacedDeployment(
      {
        name: 'orders',
        namespace: 'microservices',
        body: { spec: { replicas: 3 } },
      },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    );
    expect(scaled.metadata?.generation).toBe(generation + 1);
    await eventually(async () => {
      const d = await apps.readNamespacedDeployment({
        name: 'orders',
        namespace: 'microservices',
      });
      return d.status?.readyReplicas === 3;
    }, 2000);
    const pods = await core.listNamespacedPod({
      namespace: 'microservices',
      labelSelector: 'app=orders',
    });
    expect(pods.items).toHaveLength(3);
  });

  it('lists with label selectors, field selectors and limit/continue', async () => {
    const equality = await core.listNamespacedPod({
      namespace: 'microservices',
      labelSelector: 'app=payments',
    });
    expect(equality.items.map(p => p.metadata?.labels?.app)).toEqual([
      'payments',
      'payments',
    ]);
    const setBased = await core.listNamespacedService({
      namespace: 'microservices',
      labelSelector: 'app in (orders,inventory),backstage.io/kubernetes-id',
    });
    expect(setBased.items.map(s => s.metadata?.name).sort()).toEqual([
      'inventory',
      'orders',
    ]);
    const notIn = await core.listNamespacedService({
      namespace: 'microservices',
      labelSelector:
        'app notin (orders),!gateway.networking.k8s.io/gateway-name',
    });
    expect(notIn.items.map(s => s.metadata?.name).sort()).toEqual([
      'frontend',
      'inventory',
      'payments',
    ]);
    const byName = await core.listNamespace({
      fieldSelector: 'metadata.name=reporting',
    });
    expect(byName.items.map(n => n.metadata?.name)).toEqual(['reporting']);
    const byNamespace = await core.listServiceForAllNamespaces({
      fieldSelector: 'metadata.namespace=observability',
    });
    expect(byNamespace.items.map(s => s.metadata?.name).sort()).toEqual([
      'otel-collector',
      'prometheus',
      'tempo',
    ]);

    const first = await core.listNamespace({ limit: 3 });
    expect(first.items).toHaveLength(3);
    expect(first.metadata?._continue).toBeTruthy();
    const names = first.items.map(n => n.metadata?.name);
    let token = first.metadata?._continue;
    while (token) {
      const page = await core.listNamespace({ limit: 3, _continue: token });
      names.push(...page.items.map(n => n.metadata?.name));
      token = page.metadata?._continue;
    }
    const all = await core.listNamespace();
    expect(names).toEqual(all.items.map(n => n.metadata?.name));

    const bad = await failure(core.listNamespace({ labelSelector: 'a in (b' }));
    expect(bad.code).toBe(400);
  });

  it('patches with json, merge and strategic merge patches', async () => {
    await core.createNamespacedConfigMap({
      namespace: 'default',
      body: { metadata: { name: 'patched' }, data: { keep: 'k', drop: 'd' } },
    });
    const merged = await core.patchNamespacedConfigMap(
      {
        name: 'patched',
        namespace: 'default',
        body: { data: { drop: null, added: 'a' } },
      },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    );
    expect(merged.data).toEqual({ keep: 'k', added: 'a' });
    // the generated client's default patch type is a JSON patch
    const json = await core.patchNamespacedConfigMap({
      name: 'patched',
      namespace: 'default',
      body: [
        { op: 'replace', path: '/data/keep', value: 'k2' },
        { op: 'add', path: '/metadata/labels', value: { patched: 'json' } },
      ],
    });
    expect(json.data?.keep).toBe('k2');
    expect(json.metadata?.labels).toEqual({ patched: 'json' });
    const strategic = await core.patchNamespacedConfigMap(
      {
        name: 'patched',
        namespace: 'default',
        body: { metadata: { labels: { more: 'yes' } } },
      },
      setHeaderOptions('Content-Type', PatchStrategy.StrategicMergePatch),
    );
    expect(strategic.metadata?.labels).toEqual({
      patched: 'json',
      more: 'yes',
    });
    const failedTest = await failure(
      core.patchNamespacedConfigMap({
        name: 'patched',
        namespace: 'default',
        body: [{ op: 'test', path: '/data/keep', value: 'nope' }],
      }),
    );
    expect(failedTest.code).toBe(422);
  });

  it('server-side applies with field ownership, conflicts naming field and manager, and force', async () => {
    const gateway: KubernetesObject & { spec?: object } = {
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'Gateway',
      metadata: {
        name: 'ssa-waypoint',
        namespace: 'default',
        labels: { 'istio.io/waypoint-for': 'service' },
      },
      spec: {
        gatewayClassName: 'example',
        listeners: [{ name: 'mesh', port: 15008, protocol: 'HBONE' }],
        addresses: [{ type: 'IPAddress', value: '10.0.0.9' }],
      },
    };
    const missingManager = await failure(
      objects.patch(
        gateway,
        undefined,
        undefined,
        undefined,
        undefined,
        PatchStrategy.ServerSideApply,
      ),
    );
    expect(missingManager.code).toBe(400);
    expect(missingManager.body.message).toContain('fieldManager');

    const applied = await objects.patch(
      gateway,
      undefined,
      undefined,
      'istioctl',
      undefined,
      PatchStrategy.ServerSideApply,
    );
    expect(applied.metadata?.managedFields).toEqual([
      expect.objectContaining({
        manager: 'istioctl',
        operation: 'Apply',
        fieldsV1: expect.objectContaining({
          'f:spec': {
            'f:gatewayClassName': {},
            'f:listeners': {},
            'f:addresses': {},
          },
        }),
      }),
    ]);
    // re-applying the same thing changes nothing
    const again = await objects.patch(
      gateway,
      undefined,
      undefined,
      'istioctl',
      undefined,
      PatchStrategy.ServerSideApply,
    );
    expect(again.metadata?.resourceVersion).toBe(
      applied.metadata?.resourceVersion,
    );

    const other = {
      ...gateway,
      metadata: {
        ...gateway.metadata,
        labels: { 'istio.io/waypoint-for': 'all' },
      },
      spec: undefined,
    } as KubernetesObject;
    const conflict = await failure(
      objects.patch(
        other,
        undefined,
        undefined,
        'portal',
        undefined,
        PatchStrategy.ServerSideApply,
      ),
    );
    expect(conflict.code).toBe(409);
    expect(conflict.body.reason).toBe('Conflict');
    expect(conflict.body.message).toContain('conflict with "istioctl"');
    expect(conflict.body.details.causes).toEqual([
      expect.objectContaining({
        type: 'FieldManagerConflict',
        field: '.metadata.labels.istio.io/waypoint-for',
      }),
    ]);

    const forced = await objects.patch(
      other,
      undefined,
      undefined,
      'portal',
      true,
      PatchStrategy.ServerSideApply,
    );
    expect(forced.metadata?.labels?.['istio.io/waypoint-for']).toBe('all');
    const managers = forced.metadata?.managedFields?.map(m => m.manager).sort();
    expect(managers).toEqual(['istioctl', 'portal']);

    // a field the manager stops applying is removed (listeners stay: the
    // Gateway API v1.5.0 schema requires them)
    const slimmer = {
      ...gateway,
      metadata: { name: 'ssa-waypoint', namespace: 'default' },
      spec: {
        gatewayClassName: 'example',
        listeners: [{ name: 'mesh', port: 15008, protocol: 'HBONE' }],
      },
    };
    const pruned = (await objects.patch(
      slimmer,
      undefined,
      undefined,
      'istioctl',
      undefined,
      PatchStrategy.ServerSideApply,
    )) as any;
    expect(pruned.spec.addresses).toBeUndefined();
    expect(pruned.spec.listeners).toHaveLength(1);
    expect(pruned.metadata.labels).toEqual({ 'istio.io/waypoint-for': 'all' });
  });

  it('honours dryRun=All on create, patch and delete', async () => {
    const dry = await core.createNamespace({
      body: { metadata: { name: 'dry' } },
      dryRun: 'All',
    });
    expect(dry.metadata?.name).toBe('dry');
    expect((await failure(core.readNamespace({ name: 'dry' }))).code).toBe(404);

    const applied = await objects.patch(
      {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'dry-cm', namespace: 'default' },
        data: { a: 'b' },
      } as KubernetesObject,
      undefined,
      'All',
      'portal',
      undefined,
      PatchStrategy.ServerSideApply,
    );
    expect((applied as any).data).toEqual({ a: 'b' });
    expect(
      (
        await failure(
          core.readNamespacedConfigMap({
            name: 'dry-cm',
            namespace: 'default',
          }),
        )
      ).code,
    ).toBe(404);

    await core.deleteNamespace({ name: 'reporting', dryRun: 'All' });
    expect(
      (await core.readNamespace({ name: 'reporting' })).metadata?.name,
    ).toBe('reporting');
  });

  it('writes status only through the status subresource', async () => {
    const base = await custom.getNamespacedCustomObject({
      group: 'gateway.networking.k8s.io',
      version: 'v1',
      namespace: 'microservices',
      plural: 'gateways',
      name: 'waypoint',
    });
    const ignored = await custom.patchNamespacedCustomObject(
      {
        group: 'gateway.networking.k8s.io',
        version: 'v1',
        namespace: 'microservices',
        plural: 'gateways',
        name: 'waypoint',
        body: {
          status: { addresses: [] },
          metadata: { annotations: { note: 'x' } },
        },
      },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    );
    expect(ignored.status).toEqual(base.status);
    await core.createNamespace({ body: { metadata: { name: 'status-ns' } } });
    const status = await core.patchNamespaceStatus(
      {
        name: 'status-ns',
        body: {
          status: { phase: 'Terminating' },
          metadata: { labels: { ignored: 'yes' } },
        },
      },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    );
    expect(status.status?.phase).toBe('Terminating');
    expect(status.metadata?.labels?.ignored).toBeUndefined();
  });

  it('watches with resourceVersion and sends ADDED, MODIFIED and DELETED', async () => {
    await core.createNamespace({ body: { metadata: { name: 'watched' } } });
    const list = await core.listNamespacedConfigMap({ namespace: 'watched' });
    const events: string[] = [];
    const watch = new Watch(kubeConfigFor(sandbox));
    const controller = await watch.watch(
      '/api/v1/namespaces/watched/configmaps',
      { resourceVersion: list.metadata?.resourceVersion },
      (type, object) =>
        events.push(
          `${type} ${object.metadata.name} ${JSON.stringify(
            object.data ?? {},
          )}`,
        ),
      () => undefined,
    );
    await core.createNamespacedConfigMap({
      namespace: 'watched',
      body: { metadata: { name: 'w' }, data: { v: '1' } },
    });
    await core.patchNamespacedConfigMap(
      { name: 'w', namespace: 'watched', body: { data: { v: '2' } } },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    );
    await core.deleteNamespacedConfigMap({ name: 'w', namespace: 'watched' });
    await eventually(() => events.length >= 3, 3000);
    controller.abort();
    expect(events).toEqual([
      'ADDED w {"v":"1"}',
      'MODIFIED w {"v":"2"}',
      'DELETED w {"v":"2"}',
    ]);

    // from the past: replays history
    const replayed: string[] = [];
    const replay = await watch.watch(
      '/api/v1/namespaces/watched/configmaps',
      { resourceVersion: list.metadata?.resourceVersion },
      type => replayed.push(type),
      () => undefined,
    );
    await eventually(() => replayed.length >= 3, 3000);
    replay.abort();
    expect(replayed).toEqual(['ADDED', 'MODIFIED', 'DELETED']);
  });

  it('deletes everything in a namespace with it', async () => {
    await core.createNamespace({ body: { metadata: { name: 'doomed' } } });
    await core.createNamespacedConfigMap({
      namespace: 'doomed',
      body: { metadata: { name: 'c' } },
    });
    await apps.createNamespacedDeployment({
      namespace: 'doomed',
      body: {
        metadata: { name: 'app' },
        spec: {
          selector: { matchLabels: { app: 'app' } },
          template: {
            metadata: { labels: { app: 'app' } },
            spec: { containers: [{ name: 'app', image: 'app' }] },
          },
        },
      },
    });
    await eventually(
      async () =>
        (await core.listNamespacedPod({ namespace: 'doomed' })).items.length ===
        1,
      2000,
    );
    const deleted = await core.deleteNamespace({ name: 'doomed' });
    expect((deleted as any).status?.phase).toBe('Terminating');
    expect(
      (await core.listNamespacedConfigMap({ namespace: 'doomed' })).items,
    ).toEqual([]);
    expect(
      (await core.listNamespacedPod({ namespace: 'doomed' })).items,
    ).toEqual([]);
    expect(
      (await apps.listNamespacedReplicaSet({ namespace: 'doomed' })).items,
    ).toEqual([]);
  });

  it('rejects invalid objects with 422 naming the field', async () => {
    const bad = await failure(
      core.createNamespace({ body: { metadata: { name: 'Not_A_Name' } } }),
    );
    expect(bad.code).toBe(422);
    expect(bad.body).toMatchObject({
      kind: 'Status',
      reason: 'Invalid',
      code: 422,
    });
    expect(bad.body.details.causes[0].field).toBe('metadata.name');
    const noNamespace = await failure(
      core.createNamespacedConfigMap({
        namespace: 'nowhere',
        body: { metadata: { name: 'x' } },
      }),
    );
    expect(noNamespace.code).toBe(404);
    expect(noNamespace.body.message).toBe('namespaces "nowhere" not found');
  });

  it('requires a token (401) and refuses writes to the read-only user (403)', async () => {
    const anonymous = await new Promise<{ status: number; body: any }>(
      (resolve, reject) => {
        https
          .get(
            `${sandbox.kubernetesUrl}/api/v1/namespaces`,
            { ca: sandbox.caCert },
            res => {
              let text = '';
              res.on('data', c => (text += c));
              res.on('end', () =>
                resolve({
                  status: res.statusCode ?? 0,
                  body: JSON.parse(text),
                }),
              );
            },
          )
          .on('error', reject);
      },
    );
    expect(anonymous.status).toBe(401);
    expect(anonymous.body).toMatchObject({
      kind: 'Status',
      reason: 'Unauthorized',
      code: 401,
    });

    const readonly = kubeConfigFor(sandbox, 'readonly').makeApiClient(
      CoreV1Api,
    );
    expect((await readonly.listNamespace()).items.length).toBeGreaterThan(0);
    const denied = await failure(
      readonly.createNamespace({ body: { metadata: { name: 'nope' } } }),
    );
    expect(denied.code).toBe(403);
    expect(denied.body).toMatchObject({ reason: 'Forbidden' });
    expect(denied.body.message).toContain(
      'User "sandbox-readonly" cannot create resource "namespaces"',
    );
    expect(
      sandbox.requestLog.count(
        e => e.user === 'sandbox-readonly' && e.status === 403,
      ),
    ).toBe(1);
  });

  it('serves custom kinds only while their CRD exists', async () => {
    const list = await custom.listNamespacedCustomObject({
      group: 'security.istio.io',
      version: 'v1',
      namespace: 'microservices',
      plural: 'authorizationpolicies',
    });
    expect(list.items).toEqual([]);
    await objects.delete({
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: 'telemetries.telemetry.istio.io' },
    });
    const missing = await failure(
      custom.listNamespacedCustomObject({
        group: 'telemetry.istio.io',
        version: 'v1',
        namespace: 'istio-system',
        plural: 'telemetries',
      }),
    );
    expect(missing.code).toBe(404);
    const groups = await kubeConfigFor(sandbox)
      .makeApiClient(CoreV1Api)
      .getAPIResources();
    expect(groups.groupVersion).toBe('v1');
  });

  it('injects faults per path and verb and logs upstream calls', async () => {
    sandbox.requestLog.clear();
    const rule = sandbox.faults.add({
      server: 'kubernetes',
      method: 'GET',
      path: '/api/v1/namespaces/*/pods',
      status: 503,
      times: 1,
    });
    const injected = await failure(
      core.listNamespacedPod({ namespace: 'microservices' }),
    );
    expect(injected.code).toBe(503);
    expect(injected.body).toMatchObject({
      kind: 'Status',
      reason: 'ServiceUnavailable',
      message: `injected fault ${rule.id}`,
    });
    expect(
      (await core.listNamespacedPod({ namespace: 'microservices' })).items
        .length,
    ).toBeGreaterThan(0);
    sandbox.faults.add({
      server: 'kubernetes',
      method: 'GET',
      path: '/api/v1/namespaces/reporting',
      delayMs: 300,
      times: 1,
    });
    const started = Date.now();
    await core.readNamespace({ name: 'reporting' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    const podLists = sandbox.requestLog.list(
      e => e.path === '/api/v1/namespaces/microservices/pods',
    );
    expect(podLists.map(e => e.status)).toEqual([503, 200]);
    expect(podLists[0]).toMatchObject({
      method: 'GET',
      user: 'sandbox-admin',
      server: 'kubernetes',
    });
  });
});
