import { readdir, readFile, stat } from 'node:fs/promises';
import { join, relative } from 'node:path';
import {
  isChildPath,
  resolveSafeChildPath,
} from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  ManifestFile,
  manifestsReads,
  parseManifests,
  planManifestsApply,
} from '@ambient-mesh/plugin-istio-node';
import { IstioActionDeps } from './deps';
import { actorOf, audited, authorizeNamespaceChange } from './authorize';
import {
  ZodImpl,
  clusterField,
  dnsLabel,
  modeField,
  overwriteField,
  parseInput,
  schemaOf,
} from './inputs';
import { changeOutputs } from './outputs';
import {
  connect,
  objectResults,
  resolveMode,
  runPlan,
  summarize,
} from './runPlan';

export const input = {
  mode: modeField,
  cluster: clusterField,
  path: (z: ZodImpl) =>
    z
      .string()
      .min(1)
      .default('k8s')
      .describe(
        'Manifest file or directory in the workspace (.yaml/.yml files, several documents each); default k8s',
      ),
  namespace: (z: ZodImpl) =>
    dnsLabel(z, 'namespace', 'reporting')
      .optional()
      .describe('Namespace of the objects whose manifest names none'),
  overwrite: overwriteField,
};
const inputSchema = schemaOf(input);

/**
 * Whether a link found in the workspace leads to a file there; a link out
 * of the workspace or to nothing is an InputError.
 */
async function isLinkToWorkspaceFile(workspacePath: string, link: string) {
  const name = relative(workspacePath, link);
  if (!isChildPath(workspacePath, link)) {
    throw new InputError(
      `Input "path": ${name} is a link to a file outside the workspace; put the manifest itself in the workspace`,
    );
  }
  const target = await stat(link).catch(() => undefined);
  if (!target) {
    throw new InputError(
      `Input "path": ${name} is a link to nothing; remove it or point it at a manifest`,
    );
  }
  return target.isFile();
}

/**
 * The YAML files under `path` (a file or a directory, recursively), sorted.
 * A symbolic link is read only when it leads to a file inside the
 * workspace; links to directories are not followed.
 */
async function readManifestFiles(
  workspacePath: string,
  path: string,
): Promise<ManifestFile[]> {
  let root: string;
  try {
    root = resolveSafeChildPath(workspacePath, path);
  } catch {
    throw new InputError(
      `Input "path": "${path}" is outside the workspace; give a path inside it, e.g. k8s`,
    );
  }
  const info = await stat(root).catch(() => undefined);
  if (!info) {
    throw new InputError(
      `Input "path": "${path}" does not exist in the workspace; generate the manifests first (fetch:template)`,
    );
  }
  const paths: string[] = [];
  const walk = async (dir: string) => {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const full = join(dir, entry.name);
      if (entry.isDirectory()) await walk(full);
      else if (!/\.ya?ml$/.test(entry.name)) continue;
      else if (!entry.isSymbolicLink()) paths.push(full);
      else if (await isLinkToWorkspaceFile(workspacePath, full)) {
        paths.push(full);
      }
    }
  };
  if (info.isDirectory()) await walk(root);
  else paths.push(root);
  if (paths.length === 0) {
    throw new InputError(`Input "path": "${path}" holds no .yaml or .yml file`);
  }
  return Promise.all(
    paths.sort().map(async p => ({
      path: relative(workspacePath, p),
      text: await readFile(p, 'utf8'),
    })),
  );
}

/**
 * `istio:manifests:apply`: applies a service's Kubernetes manifests from the
 * workspace (server-side apply), under the same rules as the other write
 * actions: the namespace permission, protected namespaces, objects of other
 * managers left alone unless overwrite, dry run and gitops mode.
 *
 * @public
 */
export function createManifestsApplyAction(deps: IstioActionDeps) {
  return createTemplateAction({
    id: 'istio:manifests:apply',
    description:
      "Applies a service's Kubernetes manifests from the workspace (Deployment, Service, ServiceAccount, ConfigMap, ...) with server-side apply; never takes over objects of other managers unless overwrite. Supports dry run and gitops mode.",
    examples: [
      {
        description: 'Apply the manifests a skeleton generated under k8s/',
        example: `steps:
  - id: deploy
    action: istio:manifests:apply
    name: Deploy the service
    input:
      path: k8s
      namespace: microservices
`,
      },
    ],
    supportsDryRun: true,
    schema: {
      input,
      output: {
        namespaces: (z: ZodImpl) =>
          z.array(z.string()).describe('The namespaces of the objects'),
        ...changeOutputs,
      },
    },
    async handler(ctx) {
      const values = parseInput(inputSchema, ctx.input);
      const dryRun = Boolean(ctx.isDryRun);
      const mode = resolveMode(deps, values.mode);
      const files = await readManifestFiles(ctx.workspacePath, values.path);
      const objects = parseManifests(files, values.namespace);
      const namespaces = [
        ...new Set(objects.map(o => o.metadata.namespace!)),
      ].sort();
      const { client, clusterName, planner, applier } = connect(
        deps,
        values.cluster,
        ctx.signal,
      );
      await audited(
        deps.auditor,
        {
          action: 'istio:manifests:apply',
          cluster: clusterName,
          namespace: namespaces.join(','),
          dryRun,
          mode,
          actor: async () => actorOf(await ctx.getInitiatorCredentials()),
        },
        async () => {
          for (const namespace of namespaces) {
            await authorizeNamespaceChange(deps, ctx, client, {
              cluster: clusterName,
              namespace,
            });
          }
          const state = await planner.read(manifestsReads(objects));
          const plan = planManifestsApply(
            { objects, overwrite: values.overwrite },
            state,
            {
              cluster: clusterName,
              protectedNamespaces: deps.protectedNamespaces,
            },
          );
          await runPlan(ctx, plan, applier(), mode);
          const results = objectResults(plan, dryRun || mode === 'gitops');
          ctx.output('namespaces', namespaces);
          ctx.output('objects', results);
          ctx.output('summary', summarize(plan, dryRun, mode));
          return { result: undefined, changes: results };
        },
      );
    },
  });
}
