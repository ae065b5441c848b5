import { createHash } from 'node:crypto';
import { cp, mkdir, readFile, readdir, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import {
  coreServices,
  createBackendModule,
  resolveSafeChildPath,
} from '@backstage/backend-plugin-api';
import {
  Entity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { InputError, NotAllowedError } from '@backstage/errors';
import {
  catalogProcessingExtensionPoint,
  catalogServiceRef,
} from '@backstage/plugin-catalog-node';
import type {
  EntityProvider,
  EntityProviderConnection,
} from '@backstage/plugin-catalog-node';
import {
  createTemplateAction,
  scaffolderActionsExtensionPoint,
} from '@backstage/plugin-scaffolder-node';
import { Config } from '@backstage/config';

/**
 * Development only: the portal's stand-in for a git host. Templates publish
 * a new service with `portal:publish:local` into
 * `portal.localPublish.directory/<name>/`, and the `local-services` entity
 * provider keeps the catalog-info.yaml files found there in the catalog.
 * Without that config key neither is installed.
 */
const CONFIG_KEY = 'portal.localPublish.directory';
const PROVIDER = 'local-services';

function directoryOf(config: Config): string | undefined {
  const dir = config.getOptionalString(CONFIG_KEY);
  return dir ? resolve(dir) : undefined;
}

/** The entities of `<directory>/<name>/catalog-info.yaml`, sorted by service. */
export async function readLocalServices(directory: string): Promise<Entity[]> {
  const names = await readdir(directory).catch(() => [] as string[]);
  const entities: Entity[] = [];
  for (const name of names.sort()) {
    const file = join(directory, name, 'catalog-info.yaml');
    const text = await readFile(file, 'utf8').catch(() => undefined);
    if (!text) continue;
    const entity = parse(text) as Entity;
    if (!entity?.metadata?.name) continue;
    const location = `file:${file}`;
    entity.metadata.annotations = {
      ...entity.metadata.annotations,
      'backstage.io/managed-by-location': location,
      'backstage.io/managed-by-origin-location': location,
    };
    entities.push(entity);
  }
  return entities;
}

class LocalServicesProvider implements EntityProvider {
  private connection?: EntityProviderConnection;
  private last = '';
  constructor(private readonly directory: string) {}
  getProviderName() {
    return PROVIDER;
  }
  async connect(connection: EntityProviderConnection) {
    this.connection = connection;
    await this.sync();
  }
  /** Full mutation when the directory's entities changed. */
  async sync() {
    if (!this.connection) return;
    const entities = await readLocalServices(this.directory);
    const digest = createHash('sha256')
      .update(JSON.stringify(entities))
      .digest('hex');
    if (digest === this.last) return;
    this.last = digest;
    await this.connection.applyMutation({
      type: 'full',
      entities: entities.map(entity => ({
        entity,
        locationKey: `${PROVIDER}:${this.directory}`,
      })),
    });
  }
}

/** @public */
export const localServicesCatalogModule = createBackendModule({
  pluginId: 'catalog',
  moduleId: 'local-services',
  register(reg) {
    reg.registerInit({
      deps: {
        catalog: catalogProcessingExtensionPoint,
        config: coreServices.rootConfig,
        scheduler: coreServices.scheduler,
      },
      async init({ catalog, config, scheduler }) {
        const directory = directoryOf(config);
        if (!directory) return;
        await mkdir(directory, { recursive: true });
        const provider = new LocalServicesProvider(directory);
        catalog.addEntityProvider(provider);
        await scheduler.scheduleTask({
          id: 'local-services-sync',
          frequency: { seconds: 2 },
          timeout: { seconds: 30 },
          scope: 'local',
          fn: () => provider.sync(),
        });
      },
    });
  },
});

const NAMESPACE_ANNOTATION = 'backstage.io/kubernetes-namespace';

const ownerRef = (e: Entity) => {
  const owner = (e.spec as { owner?: string } | undefined)?.owner;
  if (!owner) return undefined;
  return stringifyEntityRef(
    parseEntityRef(owner, {
      defaultKind: 'group',
      defaultNamespace: e.metadata.namespace ?? 'default',
    }),
  );
};

/**
 * A published entity claims its namespace (the write actions' tenancy), so
 * its owner must be the user or one of the user's groups, and the namespace
 * must not be claimed by another owner's entity.
 */
export async function checkClaims(
  entity: Entity,
  user: { ref?: string; entity?: Entity } | undefined,
  claimsOf: (namespace: string) => Promise<Entity[]>,
): Promise<void> {
  const owner = ownerRef(entity);
  const mine = new Set<string>([
    ...(user?.ref ? [user.ref] : []),
    ...(user?.entity?.relations ?? [])
      .filter(r => r.type === 'memberOf')
      .map(r => r.targetRef),
  ]);
  if (!owner || !mine.has(owner)) {
    throw new NotAllowedError(
      `${stringifyEntityRef(entity)} is owned by ${
        owner ?? 'nobody'
      }, which is neither ${
        user?.ref ?? 'the user'
      } nor one of their groups; choose your own team as owner`,
    );
  }
  const namespace = entity.metadata.annotations?.[NAMESPACE_ANNOTATION];
  if (!namespace) return;
  const others = (await claimsOf(namespace)).filter(
    e =>
      stringifyEntityRef(e) !== stringifyEntityRef(entity) &&
      ownerRef(e) !== owner,
  );
  if (others.length) {
    throw new NotAllowedError(
      `Namespace ${namespace} is claimed by ${others
        .map(e => `${stringifyEntityRef(e)} (owner ${ownerRef(e)})`)
        .join(', ')}; choose another namespace`,
    );
  }
}

/** @public */
export const localPublishScaffolderModule = createBackendModule({
  pluginId: 'scaffolder',
  moduleId: 'local-publish',
  register(reg) {
    reg.registerInit({
      deps: {
        scaffolder: scaffolderActionsExtensionPoint,
        config: coreServices.rootConfig,
        catalog: catalogServiceRef,
        auth: coreServices.auth,
      },
      async init({ scaffolder, config, catalog, auth }) {
        const directory = directoryOf(config);
        if (!directory) return;
        scaffolder.addActions(
          createTemplateAction({
            id: 'portal:publish:local',
            description:
              "Development only: copies the workspace to portal.localPublish.directory/<name>/ and waits until the catalog holds the entity of its catalog-info.yaml. Refuses to replace another owner's service.",
            supportsDryRun: true,
            schema: {
              input: {
                name: z =>
                  z
                    .string()
                    .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/)
                    .describe('Directory name of the service (a DNS label)'),
              },
              output: {
                entityRef: z => z.string().describe('The registered entity'),
                path: z => z.string().describe('Where the files are'),
              },
            },
            async handler(ctx) {
              const target = resolveSafeChildPath(directory, ctx.input.name);
              const text = await readFile(
                join(ctx.workspacePath, 'catalog-info.yaml'),
                'utf8',
              ).catch(() => {
                throw new InputError(
                  'The workspace has no catalog-info.yaml; generate it first (fetch:template)',
                );
              });
              const entity = parse(text) as Entity;
              const entityRef = stringifyEntityRef(entity);
              const [existing] = (await readLocalServices(directory)).filter(
                e =>
                  e.metadata.annotations?.[
                    'backstage.io/managed-by-location'
                  ] === `file:${join(target, 'catalog-info.yaml')}`,
              );
              const ownerOf = (e: Entity) =>
                (e.spec as { owner?: string } | undefined)?.owner;
              if (existing && ownerOf(existing) !== ownerOf(entity)) {
                throw new NotAllowedError(
                  `${target} already holds ${stringifyEntityRef(
                    existing,
                  )}, owned by ${ownerOf(existing)}; choose another name`,
                );
              }
              await checkClaims(entity, ctx.user, async namespace => {
                const { items } = await catalog.getEntities(
                  {
                    filter: {
                      [`metadata.annotations.${NAMESPACE_ANNOTATION}`]:
                        namespace,
                    },
                    fields: ['kind', 'metadata', 'spec.owner'],
                  },
                  { credentials: await auth.getOwnServiceCredentials() },
                );
                return items;
              });
              ctx.output('entityRef', entityRef);
              ctx.output('path', target);
              if (ctx.isDryRun) {
                ctx.logger.info(
                  `Dry run: would publish ${entityRef} to ${target}`,
                );
                return;
              }
              await rm(target, { recursive: true, force: true });
              await cp(ctx.workspacePath, target, { recursive: true });
              ctx.logger.info(`Published ${entityRef} to ${target}`);
              const credentials = await auth.getOwnServiceCredentials();
              for (let i = 0; i < 120; i++) {
                if (await catalog.getEntityByRef(entityRef, { credentials })) {
                  ctx.logger.info(`${entityRef} is in the catalog`);
                  return;
                }
                await new Promise(r => setTimeout(r, 500));
              }
              throw new Error(
                `${entityRef} did not appear in the catalog within 60 s`,
              );
            },
          }),
        );
      },
    });
  },
});
