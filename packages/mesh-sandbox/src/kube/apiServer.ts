import { IncomingMessage, ServerResponse } from 'node:http';
import { Faults } from '../http/faults';
import { RequestLog } from '../http/requestLog';
import { readBody, RunningServer, sendJson, serve } from '../http/serve';
import { authenticate } from './auth';
import {
  apiGroup,
  apiGroupList,
  apiResourceList,
  coreApiVersions,
  isReadVerb,
  versionInfo,
} from './discovery';
import {
  forbidden,
  KubeApiError,
  methodNotAllowed,
  notFound,
  unauthorized,
} from './errors';
import { parseJson, VerbHandlers, VerbRequest } from './handlers';
import { DiscoveryPath, parseApiPath, ResourcePath } from './paths';
import { ResourceRegistry } from './registry';
import { ObjectStore } from './store';
import { serveWatch } from './watch';

const UNAUTHENTICATED_PATHS = new Set([
  '/version',
  '/healthz',
  '/readyz',
  '/livez',
]);

function verbOf(method: string, path: ResourcePath, query: URLSearchParams) {
  const watch = ['true', '1'].includes(query.get('watch') ?? '');
  switch (method) {
    case 'GET':
      if (watch) return 'watch';
      return path.name ? 'get' : 'list';
    case 'POST':
      return path.name && !path.subresource ? undefined : 'create';
    case 'PUT':
      return path.name ? 'update' : undefined;
    case 'PATCH':
      return path.name ? 'patch' : undefined;
    case 'DELETE':
      return path.name ? 'delete' : 'deletecollection';
    default:
      return undefined;
  }
}

function managerOf(req: IncomingMessage, query: URLSearchParams): string {
  const explicit = query.get('fieldManager');
  if (explicit) return explicit;
  const agent = String(req.headers['user-agent'] ?? 'unknown');
  return agent.split('/')[0] || 'unknown';
}

/**
 * The Kubernetes API server: authentication, authorization (read-only user),
 * discovery, and the verbs on served resources, with errors as `Status`.
 */
export class KubeApiServer {
  private readonly handlers: VerbHandlers;
  private readonly watches = new Set<() => void>();
  private serverAddress = '127.0.0.1:0';

  constructor(
    private readonly store: ObjectStore,
    private readonly registry: ResourceRegistry,
  ) {
    this.handlers = new VerbHandlers(store);
  }

  /** Starts listening with TLS; `port` 0 picks a free port. */
  async listen(options: {
    port: number;
    tls: { key: string; cert: string };
    log: RequestLog;
    faults: Faults;
  }): Promise<RunningServer> {
    const running = await serve({
      name: 'kubernetes',
      port: options.port,
      tls: options.tls,
      log: options.log,
      faults: options.faults,
      handler: (req, res) => this.handle(req, res),
      userOf: req => authenticate(req)?.name ?? '',
      onFault: (res, rule) =>
        sendJson(
          res,
          rule.status!,
          new KubeApiError(
            rule.status!,
            reasonFor(rule.status!),
            rule.message ?? `injected fault ${rule.id}`,
          ).toStatus(),
        ),
    });
    this.serverAddress = `127.0.0.1:${running.port}`;
    return {
      ...running,
      close: async () => {
        for (const stop of [...this.watches]) stop();
        await running.close();
      },
    };
  }

  /** Ends every open watch, as an API server restart does; clients watch again. */
  closeWatches(): void {
    for (const stop of [...this.watches]) stop();
  }

  /** Handles one request. */
  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      await this.route(req, res);
    } catch (error) {
      const apiError =
        error instanceof KubeApiError
          ? error
          : new KubeApiError(
              500,
              'InternalError',
              `Internal error occurred: ${(error as Error).message}`,
            );
      if (res.headersSent) {
        res.end();
      } else {
        sendJson(res, apiError.code, apiError.toStatus());
      }
    }
  }

  private async route(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? '/', 'https://sandbox');
    const method = req.method ?? 'GET';
    if (UNAUTHENTICATED_PATHS.has(url.pathname)) {
      if (url.pathname === '/version') sendJson(res, 200, versionInfo());
      else sendJson(res, 200, 'ok');
      return;
    }
    const user = authenticate(req);
    if (!user) throw unauthorized();
    const parsed = parseApiPath(url.pathname);
    if (!parsed) {
      throw new KubeApiError(
        404,
        'NotFound',
        'the server could not find the requested resource',
      );
    }
    if ('discovery' in parsed) {
      if (method !== 'GET')
        throw methodNotAllowed(`${method} is not allowed on discovery`);
      sendJson(res, 200, this.discovery(parsed));
      return;
    }
    const type = this.registry.find(
      parsed.group,
      parsed.version,
      parsed.plural,
    );
    if (!type) {
      throw new KubeApiError(
        404,
        'NotFound',
        'the server could not find the requested resource',
        {
          group: parsed.group,
          kind: parsed.plural,
        },
      );
    }
    if (
      parsed.subresource &&
      !(parsed.subresource === 'status' && type.hasStatus)
    ) {
      throw new KubeApiError(
        404,
        'NotFound',
        'the server could not find the requested resource',
      );
    }
    if (type.namespaced === false && parsed.namespace !== undefined) {
      throw new KubeApiError(
        404,
        'NotFound',
        'the server could not find the requested resource',
      );
    }
    if (
      type.namespaced &&
      parsed.namespace === undefined &&
      parsed.name !== undefined
    ) {
      throw new KubeApiError(
        404,
        'NotFound',
        'the server could not find the requested resource',
      );
    }
    const verb = verbOf(method, parsed, url.searchParams);
    if (!verb)
      throw methodNotAllowed(`${method} is not supported on ${url.pathname}`);
    if (user.readOnly && !isReadVerb(verb)) {
      throw forbidden({
        user: user.name,
        verb,
        resource: parsed.subresource
          ? `${type.plural}/${parsed.subresource}`
          : type.plural,
        group: type.group,
        name: parsed.name,
        namespace: parsed.namespace,
      });
    }
    const dryRunValues = url.searchParams.getAll('dryRun');
    if (dryRunValues.some(v => v !== 'All')) {
      throw new KubeApiError(
        400,
        'BadRequest',
        `dryRun must be "All" (got "${dryRunValues.join(',')}")`,
      );
    }
    const request: VerbRequest = {
      type,
      path: parsed,
      query: url.searchParams,
      manager: managerOf(req, url.searchParams),
      dryRun: dryRunValues.length > 0,
    };
    switch (verb) {
      case 'get':
        sendJson(res, 200, this.handlers.get(request));
        return;
      case 'list':
        sendJson(res, 200, this.handlers.list(request));
        return;
      case 'watch': {
        const stop = serveWatch({
          store: this.store,
          handlers: this.handlers,
          request,
          res,
        });
        this.watches.add(stop);
        res.on('close', () => this.watches.delete(stop));
        return;
      }
      case 'create':
        sendJson(
          res,
          201,
          this.handlers.create(request, parseJson(await readBody(req))),
        );
        return;
      case 'update':
        sendJson(
          res,
          200,
          this.handlers.update(request, parseJson(await readBody(req))),
        );
        return;
      case 'patch': {
        const body = await readBody(req);
        const contentType = String(req.headers['content-type'] ?? '');
        const existed = this.store.get(
          `${type.group}/${type.plural}`,
          parsed.namespace,
          parsed.name!,
        );
        const result = this.handlers.patch(request, body, contentType);
        sendJson(res, existed ? 200 : 201, result);
        return;
      }
      case 'delete':
        sendJson(res, 200, this.handlers.delete(request));
        return;
      case 'deletecollection':
        sendJson(res, 200, this.handlers.deleteCollection(request));
        return;
      default:
        throw notFound({ kind: type.plural, group: type.group });
    }
  }

  private discovery(path: DiscoveryPath) {
    const missing = () =>
      new KubeApiError(
        404,
        'NotFound',
        'the server could not find the requested resource',
      );
    switch (path.discovery) {
      case 'version':
        return versionInfo();
      case 'api':
        return coreApiVersions(this.serverAddress);
      case 'apis':
        return apiGroupList(this.registry);
      case 'group': {
        const group = apiGroup(this.registry, path.group);
        if (!group) throw missing();
        return group;
      }
      default: {
        const list = apiResourceList(this.registry, path.group, path.version);
        if (!list) throw missing();
        return list;
      }
    }
  }
}

function reasonFor(status: number): string {
  switch (status) {
    case 400:
      return 'BadRequest';
    case 401:
      return 'Unauthorized';
    case 403:
      return 'Forbidden';
    case 404:
      return 'NotFound';
    case 409:
      return 'Conflict';
    case 429:
      return 'TooManyRequests';
    case 503:
      return 'ServiceUnavailable';
    case 504:
      return 'Timeout';
    default:
      return status >= 500 ? 'InternalError' : 'BadRequest';
  }
}
