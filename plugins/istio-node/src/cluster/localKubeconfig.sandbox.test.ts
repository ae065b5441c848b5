import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConfigReader } from '@backstage/config';
import { startSandbox, Sandbox } from '@ambient-mesh/mesh-sandbox';
import { KubeClient } from '../onboarding/kubeClient';
import { namespaceObject } from '../onboarding/objects';
import { ConfigClusterClientFactory } from './ConfigClusterClientFactory';

jest.setTimeout(30_000);

describe('istio.localKubeconfig against the sandbox', () => {
  let sandbox: Sandbox;
  let dir: string;
  beforeAll(async () => {
    sandbox = await startSandbox({ tickMs: 1000 });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'istio-kubeconfig-'));
    fs.writeFileSync(path.join(dir, 'config'), sandbox.kubeconfig);
  });
  afterAll(async () => {
    await sandbox.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  function factory(context?: string) {
    return ConfigClusterClientFactory.fromConfig(
      new ConfigReader({
        istio: {
          localKubeconfig: { path: path.join(dir, 'config'), context },
        },
      }),
    );
  }

  it('lists the context as a cluster and reads through it', async () => {
    const clusters = factory();
    expect(clusters.listClusters()).toEqual([
      { name: 'sandbox-admin', url: sandbox.kubernetesUrl },
    ]);
    const client = new KubeClient(clusters.getKubeConfig());
    const ns = await client.get({
      apiVersion: 'v1',
      kind: 'Namespace',
      name: 'reporting',
    });
    expect(ns?.metadata.name).toBe('reporting');
  });

  it('reads the file when a cluster is used, so it may appear after startup', () => {
    const later = path.join(dir, 'later');
    const clusters = ConfigClusterClientFactory.fromConfig(
      new ConfigReader({
        istio: { localKubeconfig: { path: later, name: 'sandbox' } },
      }),
    );
    expect(clusters.listClusters()).toEqual([{ name: 'sandbox', url: '' }]);
    expect(() => clusters.getKubeConfig()).toThrow(
      /The file at istio.localKubeconfig.path cannot be read \(ENOENT\); fix the path/,
    );
    // The message names the config key, never the file system path
    expect(() => clusters.getKubeConfig()).not.toThrow(new RegExp(dir));
    fs.writeFileSync(later, sandbox.kubeconfig);
    expect(clusters.getKubeConfig().getCurrentCluster()?.server).toBe(
      sandbox.kubernetesUrl,
    );
  });

  it('turns a 403 on a write into a NotAllowedError naming the operation', async () => {
    const client = new KubeClient(factory('sandbox-readonly').getKubeConfig());
    await expect(
      client.apply(
        namespaceObject('reporting', { team: 'x' }),
        'backstage-istio',
      ),
    ).rejects.toMatchObject({
      name: 'NotAllowedError',
      message: expect.stringMatching(
        /^Could not apply Namespace reporting: .*the cluster's service account lacks this right/,
      ),
    });
  });
});
