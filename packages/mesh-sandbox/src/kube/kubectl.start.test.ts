/*
 * The platform's own setup commands, verbatim, with the real kubectl (/usr/bin/kubectl
 * or KUBECTL) against `bin/mesh-sandbox start` run as a separate process, as
 * `make start` and `make sandbox` run it (scripts/start.sh): the default demo seed,
 * .sandbox-style kubeconfig and CA, and a working directory that keeps the Istio
 * resources in `istio/` as the platform's repository does. The behaviours behind each
 * command (server-side apply, openapi/v3 validation, Tables, watches, conditions) are
 * pinned one by one, with their upstream sources, in kubectl.test.ts.
 */
import { ChildProcess, execFile, spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { FIXTURES_DIR } from '../seed/crds';
import { eventually } from '../__testUtils__/clients';

jest.setTimeout(90000);

const KUBECTL = process.env.KUBECTL ?? '/usr/bin/kubectl';

describe('the setup commands against bin/mesh-sandbox start', () => {
  let work: string;
  let child: ChildProcess;
  let output = '';

  const kubectl = (...args: string[]) =>
    new Promise<string>((done, fail) => {
      execFile(
        KUBECTL,
        args,
        {
          cwd: work,
          env: {
            ...process.env,
            KUBECONFIG: join(work, '.sandbox', 'kubeconfig'),
            HOME: work,
          },
          timeout: 45000,
        },
        (error, stdout, stderr) =>
          error
            ? fail(
                new Error(
                  `kubectl ${args.join(' ')} failed: ${
                    stderr || error.message
                  }`,
                ),
              )
            : done(stdout),
      );
    });

  beforeAll(async () => {
    if (!existsSync(KUBECTL)) {
      throw new Error(
        `kubectl is not installed at ${KUBECTL}: install kubectl 1.32 or later (https://kubernetes.io/docs/tasks/tools/) or set KUBECTL to its path`,
      );
    }
    work = mkdtempSync(join(tmpdir(), 'mesh-sandbox-start-'));
    cpSync(join(FIXTURES_DIR, 'istio'), join(work, 'istio'), {
      recursive: true,
    });
    mkdirSync(join(work, 'gateway-api'));
    cpSync(
      join(FIXTURES_DIR, 'gateway-api', 'standard-install.yaml'),
      join(work, 'gateway-api', 'standard-install.yaml'),
    );
    const bin = resolve(__dirname, '../../bin/mesh-sandbox');
    const ports = ['--port', '0', '--metrics-port', '0', '--tempo-port', '0'];
    child = spawn(
      process.execPath,
      [
        bin,
        'start',
        '--dir',
        join(work, '.sandbox'),
        ...ports,
        '--admin-port',
        '0',
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    child.stdout!.on('data', chunk => (output += chunk));
    child.stderr!.on('data', chunk => (output += chunk));
    await eventually(
      () => existsSync(join(work, '.sandbox', 'endpoints.json')),
      30000,
      100,
    );
  });

  afterAll(async () => {
    if (child && child.exitCode === null) {
      const exited = new Promise(done => child.once('exit', done));
      child.kill('SIGINT');
      await exited;
    }
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('installs Gateway API v1.5.0, enrolls microservices, applies istio/ and waits for the waypoint', async () => {
    expect(
      await kubectl(
        'apply',
        '--server-side=true',
        '-f',
        'gateway-api/standard-install.yaml',
      ),
    ).toContain(
      'customresourcedefinition.apiextensions.k8s.io/gateways.gateway.networking.k8s.io serverside-applied',
    );
    expect(
      await kubectl(
        'label',
        'namespace',
        'microservices',
        'istio.io/dataplane-mode=ambient',
        '--overwrite',
      ),
    ).toMatch(/^namespace\/microservices (labeled|not labeled)$/m);
    const applied = await kubectl('apply', '-f', 'istio/');
    expect(applied).toMatch(
      /^peerauthentication\.security\.istio\.io\/\S+ (created|configured|unchanged)$/m,
    );
    expect(applied).toMatch(/^telemetry\.telemetry\.istio\.io\/\S+ created$/m);
    expect(await kubectl('apply', '--dry-run=server', '-f', 'istio/')).toMatch(
      /unchanged \(server dry run\)$/m,
    );
    expect(
      await kubectl('get', 'peerauthentications', '-n', 'microservices'),
    ).toMatch(/^NAME\s+MODE\s+AGE$/m);
    expect(
      await kubectl(
        'wait',
        '--for=condition=Programmed',
        'gateway/waypoint',
        '-n',
        'microservices',
        '--timeout=30s',
      ),
    ).toContain('gateway.gateway.networking.k8s.io/waypoint condition met');
    expect(
      await kubectl(
        'get',
        'pods',
        '-n',
        'microservices',
        '-l',
        'app=orders',
        '-o',
        'jsonpath={.items[*].metadata.annotations.ambient\\.istio\\.io/redirection}',
      ),
    ).toMatch(/^enabled( enabled)*$/);
    expect(output).toContain('mesh-sandbox is running');
  });
});
