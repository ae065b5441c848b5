import {
  ApiextensionsV1Api,
  CustomObjectsApi,
  PatchStrategy,
  setHeaderOptions,
} from '@kubernetes/client-node';
import { evaluateJsonPath } from './jsonpath';
import { decodeProtobufObject } from './protobuf';
import {
  applySchemaDefaults,
  pruneUnknownFields,
  validateAgainstSchema,
} from './schema';
import { humanDuration, tableVersionFromAccept } from './table';
import { startSandbox, Sandbox } from '../startSandbox';
import { failure, kubeConfigFor } from '../__testUtils__/clients';

jest.setTimeout(30000);

/** Hex dump as kubectl -v=8 prints a request body. */
function bytes(hex: string): Buffer {
  return Buffer.from(hex.replace(/\s+/g, ''), 'hex');
}

describe('protobuf request bodies (apimachinery pkg/runtime/serializer/protobuf, k8s.io/api core/v1/generated.proto)', () => {
  it('decodes the Namespace kubectl 1.33 `create namespace x` sends', () => {
    const body = bytes(`6b 38 73 00 0a 0f 0a 02 76 31 12 09 4e 61 6d 65
      73 70 61 63 65 12 19 0a 11 0a 01 78 12 00 1a 00 22 00 2a 00 32 00 38 00
      42 00 12 00 1a 02 0a 00 1a 00 22 00`);
    expect(decodeProtobufObject(body)).toEqual({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: 'x' },
      spec: {},
      status: {},
    });
  });

  it('decodes map fields: ConfigMap data as strings, Secret data as base64 bytes', () => {
    const configMap = bytes(`6b 38 73 00 0a 0f 0a 02 76 31 12 09 43 6f 6e 66
      69 67 4d 61 70 12 36 0a 23 0a 06 70 62 74 65 73 74 12 00 1a 0d 6d 69 63
      72 6f 73 65 72 76 69 63 65 73 22 00 2a 00 32 00 38 00 42 00 12 0f 0a 04
      6d 6f 64 65 12 07 61 6d 62 69 65 6e 74 1a 00 22 00`);
    expect(decodeProtobufObject(configMap)).toEqual({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'pbtest', namespace: 'microservices' },
      data: { mode: 'ambient' },
    });
    const secret = bytes(`6b 38 73 00 0a 0c 0a 02 76 31 12 06 53 65 63 72
      65 74 12 37 0a 25 0a 08 70 62 73 65 63 72 65 74 12 00 1a 0d 6d 69 63 72
      6f 73 65 72 76 69 63 65 73 22 00 2a 00 32 00 38 00 42 00 12 0c 0a 05 74
      6f 6b 65 6e 12 03 61 62 63 1a 00 1a 00 22 00`);
    expect(decodeProtobufObject(secret)).toMatchObject({
      kind: 'Secret',
      data: { token: Buffer.from('abc').toString('base64') },
    });
  });

  it('answers 415 for kinds it has no field numbers for (a Deployment of an unknown group version), 400 without the k8s\\0 prefix', () => {
    const deployment = Buffer.concat([
      bytes('6b 38 73 00 0a 1a 0a 0c'),
      Buffer.from('apps/v1beta9'),
      bytes('12 0a'),
      Buffer.from('Deployment'),
    ]);
    expect(() => decodeProtobufObject(deployment)).toThrow(
      expect.objectContaining({ code: 415 }),
    );
    expect(() => decodeProtobufObject(Buffer.from('{}'))).toThrow(
      expect.objectContaining({ code: 400 }),
    );
  });
});

describe('pruning and defaulting (apiextensions-apiserver pkg/apiserver/schema/pruning/algorithm.go, .../defaulting/algorithm.go)', () => {
  const schema = {
    type: 'object',
    properties: {
      spec: {
        type: 'object',
        properties: {
          namespace: { type: 'string', default: 'ztunnel' },
          items: {
            type: 'array',
            items: { type: 'object', properties: { a: { type: 'string' } } },
          },
          labels: { type: 'object', additionalProperties: { type: 'string' } },
          values: {
            type: 'object',
            'x-kubernetes-preserve-unknown-fields': true,
            properties: {
              strict: { type: 'object', properties: { x: { type: 'string' } } },
            },
          },
        },
      },
    },
  };

  it('drops unknown fields at every level, keeps apiVersion/kind/metadata at the root, reports paths sorted', () => {
    const object: Record<string, any> = {
      apiVersion: 'sailoperator.io/v1',
      kind: 'ZTunnel',
      metadata: { name: 'default', anything: 1 },
      top: true,
      spec: {
        profile: 'ambient',
        items: [{ a: 'x', b: 'y' }],
        labels: { free: 'form' },
        values: { kept: { deep: 1 }, strict: { x: '1', y: '2' } },
      },
    };
    expect(pruneUnknownFields(object, schema as any)).toEqual([
      'spec.items[0].b',
      'spec.profile',
      'spec.values.strict.y',
      'top',
    ]);
    expect(object).toEqual({
      apiVersion: 'sailoperator.io/v1',
      kind: 'ZTunnel',
      metadata: { name: 'default', anything: 1 },
      spec: {
        items: [{ a: 'x' }],
        labels: { free: 'form' },
        values: { kept: { deep: 1 }, strict: { x: '1' } },
      },
    });
  });

  it('fills defaults only where a field is absent', () => {
    const object: Record<string, any> = { spec: {} };
    applySchemaDefaults(object, schema as any);
    expect(object.spec.namespace).toBe('ztunnel');
    const set: Record<string, any> = { spec: { namespace: 'custom' } };
    applySchemaDefaults(set, schema as any);
    expect(set.spec.namespace).toBe('custom');
  });
});

describe('value checks (apiextensions-apiserver pkg/apiserver/validation, kube-openapi pkg/validation/validate)', () => {
  it('reports type, enum, required and item-count violations with their paths', () => {
    const schema = {
      type: 'object',
      properties: {
        spec: {
          type: 'object',
          required: ['gatewayClassName'],
          properties: {
            gatewayClassName: { type: 'string' },
            version: { type: 'string', enum: ['v1.28.0', 'v1.27.3'] },
            listeners: {
              type: 'array',
              minItems: 1,
              items: {
                type: 'object',
                properties: { port: { type: 'integer' } },
              },
            },
          },
        },
      },
    };
    expect(
      validateAgainstSchema(
        {
          apiVersion: 'x/v1',
          kind: 'X',
          metadata: {},
          spec: { version: 'v1.99.0', listeners: [{ port: 'http' }] },
        },
        schema as any,
      ),
    ).toEqual([
      { field: 'spec.gatewayClassName', message: 'Required value' },
      {
        field: 'spec.version',
        message:
          'Unsupported value: "v1.99.0": supported values: "v1.28.0", "v1.27.3"',
      },
      {
        field: 'spec.listeners[0].port',
        message:
          'Invalid value: "string": spec.listeners[0].port in body must be of type integer: "string"',
      },
    ]);
  });

  it('answers 422 for a Sail Istio whose version the served CRD does not list', async () => {
    const sandbox = await startSandbox({ waypointDelayMs: 300 });
    try {
      const custom = kubeConfigFor(sandbox).makeApiClient(CustomObjectsApi);
      const rejected = await failure(
        custom.createClusterCustomObject({
          group: 'sailoperator.io',
          version: 'v1',
          plural: 'istios',
          body: {
            apiVersion: 'sailoperator.io/v1',
            kind: 'Istio',
            metadata: { name: 'default' },
            spec: { version: 'v1.99.0' },
          },
        }),
      );
      expect(rejected.code).toBe(422);
      expect(rejected.body.message).toContain(
        'Istio.sailoperator.io "default" is invalid: spec.version: Unsupported value: "v1.99.0"',
      );
    } finally {
      await sandbox.stop();
    }
  });
});

describe('printing helpers', () => {
  it('formats ages like apimachinery pkg/util/duration HumanDuration', () => {
    expect(humanDuration(90_000)).toBe('90s');
    expect(humanDuration(185_000)).toBe('3m5s');
    expect(humanDuration(3600_000)).toBe('60m');
    expect(humanDuration(4 * 3600_000 + 120_000)).toBe('4h2m');
    expect(humanDuration(50 * 3600_000)).toBe('2d2h');
  });

  it('reads the Table media type kubectl asks for (kubectl pkg/cmd/get/get.go)', () => {
    expect(
      tableVersionFromAccept(
        'application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json',
      ),
    ).toBe('v1');
    expect(tableVersionFromAccept('application/json')).toBeUndefined();
  });

  it('evaluates the JSONPath of printer columns (client-go util/jsonpath)', () => {
    const gateway = {
      status: {
        addresses: [{ value: '10.96.0.5' }, { value: '10.96.0.6' }],
        conditions: [
          { type: 'Accepted', status: 'True' },
          { type: 'Programmed', status: 'False' },
        ],
      },
    };
    expect(
      evaluateJsonPath(
        gateway,
        '.status.conditions[?(@.type=="Programmed")].status',
      ),
    ).toEqual(['False']);
    expect(evaluateJsonPath(gateway, '.status.addresses[*].value')).toEqual([
      '10.96.0.5',
      '10.96.0.6',
    ]);
    expect(evaluateJsonPath(gateway, '.spec.missing')).toEqual([]);
  });
});

describe('Sail Operator CRDs by release (istio-ecosystem/sail-operator chart/crds at 1.27.0 and 1.28.0)', () => {
  let sandbox: Sandbox;
  afterEach(async () => {
    await sandbox?.stop();
  });

  it('1.28 serves ZTunnel v1 (no profile) and v1alpha1; a second apply of the same object writes nothing', async () => {
    sandbox = await startSandbox({ waypointDelayMs: 300 });
    const kc = kubeConfigFor(sandbox);
    const custom = kc.makeApiClient(CustomObjectsApi);
    const body = {
      apiVersion: 'sailoperator.io/v1',
      kind: 'ZTunnel',
      metadata: { name: 'default' },
      spec: { profile: 'ambient', version: 'v1.28.0' },
    };
    const apply = () =>
      custom.patchClusterCustomObject(
        {
          group: 'sailoperator.io',
          version: 'v1',
          plural: 'ztunnels',
          name: 'default',
          body,
          fieldManager: 'provisioner',
        },
        setHeaderOptions('Content-Type', PatchStrategy.ServerSideApply),
      );
    const first = (await apply()) as any;
    expect(first.spec).toEqual({ namespace: 'ztunnel', version: 'v1.28.0' });
    // The operator imitation writes the status meanwhile; read what is
    // stored now, then apply the same object again.
    const read = () =>
      custom.getClusterCustomObject({
        group: 'sailoperator.io',
        version: 'v1',
        plural: 'ztunnels',
        name: 'default',
      }) as Promise<any>;
    await new Promise(resolve => setTimeout(resolve, 100));
    const stored = await read();
    const second = (await apply()) as any;
    expect(second.metadata.resourceVersion).toBe(
      stored.metadata.resourceVersion,
    );
    expect((await read()).metadata.resourceVersion).toBe(
      stored.metadata.resourceVersion,
    );
    const alpha = (await custom.getClusterCustomObject({
      group: 'sailoperator.io',
      version: 'v1alpha1',
      plural: 'ztunnels',
      name: 'default',
    })) as any;
    expect(alpha.apiVersion).toBe('sailoperator.io/v1alpha1');
  });

  it('1.27 serves ZTunnel only as v1alpha1, with profile', async () => {
    sandbox = await startSandbox({
      waypointDelayMs: 300,
      sailOperatorVersion: '1.27',
    });
    const kc = kubeConfigFor(sandbox);
    const custom = kc.makeApiClient(CustomObjectsApi);
    const v1 = await failure(
      custom.createClusterCustomObject({
        group: 'sailoperator.io',
        version: 'v1',
        plural: 'ztunnels',
        body: {
          apiVersion: 'sailoperator.io/v1',
          kind: 'ZTunnel',
          metadata: { name: 'default' },
          spec: {},
        },
      }),
    );
    expect(v1.code).toBe(404);
    const created = (await custom.createClusterCustomObject({
      group: 'sailoperator.io',
      version: 'v1alpha1',
      plural: 'ztunnels',
      body: {
        apiVersion: 'sailoperator.io/v1alpha1',
        kind: 'ZTunnel',
        metadata: { name: 'default' },
        spec: {},
      },
    })) as any;
    expect(created.spec).toEqual({
      namespace: 'ztunnel',
      profile: 'ambient',
      version: 'v1.27.0',
    });
  });
});

describe('CustomResourceDefinition status (apiextensions-apiserver pkg/controller/establish, pkg/registry/customresourcedefinition)', () => {
  let sandbox: Sandbox;
  afterAll(async () => {
    await sandbox?.stop();
  });

  it('is Established at once and keeps every storage version in storedVersions', async () => {
    sandbox = await startSandbox({ seed: false });
    const crds = kubeConfigFor(sandbox).makeApiClient(ApiextensionsV1Api);
    const version = (name: string, storage: boolean) => ({
      name,
      served: true,
      storage,
      schema: {
        openAPIV3Schema: {
          type: 'object',
          'x-kubernetes-preserve-unknown-fields': true,
        },
      },
    });
    const body = (storage: string) => ({
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: 'widgets.example.com' },
      spec: {
        group: 'example.com',
        scope: 'Namespaced',
        names: { kind: 'Widget', plural: 'widgets' },
        versions: [
          version('v1beta1', storage === 'v1beta1'),
          version('v1', storage === 'v1'),
        ],
      },
    });
    const created = await crds.createCustomResourceDefinition({
      body: body('v1beta1'),
    });
    expect(created.status?.conditions).toContainEqual(
      expect.objectContaining({ type: 'Established', status: 'True' }),
    );
    expect(created.status?.storedVersions).toEqual(['v1beta1']);
    const updated = await crds.replaceCustomResourceDefinition({
      name: 'widgets.example.com',
      body: {
        ...body('v1'),
        metadata: {
          name: 'widgets.example.com',
          resourceVersion: created.metadata?.resourceVersion,
        },
      },
    });
    expect(updated.status?.storedVersions).toEqual(['v1beta1', 'v1']);
    // A stored version cannot be dropped from spec.versions.
    const dropped = await failure(
      crds.replaceCustomResourceDefinition({
        name: 'widgets.example.com',
        body: {
          ...body('v1'),
          metadata: {
            name: 'widgets.example.com',
            resourceVersion: updated.metadata?.resourceVersion,
          },
          spec: { ...body('v1').spec, versions: [version('v1', true)] },
        },
      }),
    );
    expect(dropped.code).toBe(422);
    expect(dropped.body.message).toContain(
      'status.storedVersions[0]: Invalid value: "v1beta1": must appear in spec.versions',
    );
  });
});
