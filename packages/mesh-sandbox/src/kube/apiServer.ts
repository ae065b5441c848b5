import { IncomingMessage, ServerResponse } from 'node:http';
import { Faults } from '../http/faults';
import { RequestLog } from '../http/requestLog';
import {
  readBody,
  readBodyBytes,
  RunningServer,
  sendJson,
  serve,
} from '../http/serve';
import { parse as parseYaml } from 'yaml';
import {
  groupVersionDocument,
  openApiV3Discovery,
  parseOpenApiPath,
} from './openapi';
import { decodeProtobufObject, PROTOBUF } from './protobuf';
import { tableVersionFromAccept, toTable } from './table';
import { KubeObject } from './types';
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
import { badRequest } from './errors';
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
    const openApi = parseOpenApiPath(url.pathname);
    if (openApi) {
      if (method !== 'GET')
        throw methodNotAllowed(`${method} is not allowed on ${url.pathname}`);
      const document =
        openApi === 'root'
          ? openApiV3Discovery(this.registry)
          : groupVersionDocument(this.registry, openApi.group, openApi.version);
      if (!document) {
        throw new KubeApiError(
          404,
          'NotFound',
          'the server could not find the requested resource',
        );
      }
      sendJson(res, 200, document);
      return;
    }
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
      !(parsed.subresource === 'status' && type.hasStatus) &&
      !(parsed.subresource === 'scale' && type.scale)
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
    const fieldValidation = url.searchParams.get('fieldValidation');
    if (
      fieldValidation !== null &&
      !['Ignore', 'Warn', 'Strict'].includes(fieldValidation)
    ) {
      // apiserver pkg/endpoints/handlers/rest.go fieldValidation()
      throw badRequest(
        `fieldValidation must be one of "Ignore", "Warn", or "Strict" (got "${fieldValidation}")`,
      );
    }
    const warnings: string[] = [];
    const request: VerbRequest = {
      type,
      path: parsed,
      query: url.searchParams,
      manager: managerOf(req, url.searchParams),
      dryRun: dryRunValues.length > 0,
      warnings,
    };
    const send = (status: number, body: unknown) =>
      sendJson(
        res,
        status,
        body,
        warnings.length > 0
          ? {
              // RFC 7234 warn-code 299, as apiserver pkg/warning sends it
              Warning: warnings.map(w => `299 - ${JSON.stringify(w)}`),
            }
          : {},
      );
    const tableVersion = tableVersionFromAccept(req.headers.accept);
    const includeObject = url.searchParams.get('includeObject');
    if (parsed.subresource === 'scale') {
      switch (verb) {
        case 'get':
          send(200, this.handlers.getScale(request));
          return;
        case 'update':
          send(
            200,
            this.handlers.writeScale(request, {
              body: parseJson(await readBody(req)),
            }),
          );
          return;
        case 'patch':
          send(
            200,
            this.handlers.writeScale(request, {
              patch: await readBody(req),
              contentType: String(req.headers['content-type'] ?? ''),
            }),
          );
          return;
        default:
          throw methodNotAllowed(
            `${method} is not supported on ${url.pathname}`,
          );
      }
    }
    switch (verb) {
      case 'get': {
        const object = this.handlers.get(request);
        send(
          200,
          tableVersion
            ? toTable({
                type,
                objects: [object],
                version: tableVersion,
                includeObject,
                resourceVersion: object.metadata.resourceVersion,
              })
            : object,
        );
        return;
      }
      case 'list': {
        const list = this.handlers.list(request);
        send(
          200,
          tableVersion
            ? toTable({
                type,
                objects: list.items,
                version: tableVersion,
                includeObject,
                resourceVersion: list.metadata.resourceVersion,
                continueToken: list.metadata.continue,
                remainingItemCount: list.metadata.remainingItemCount,
              })
            : list,
        );
        return;
      }
      case 'watch': {
        const stop = serveWatch({
          store: this.store,
          handlers: this.handlers,
          request,
          res,
          render: tableVersion
            ? (object, first) =>
                toTable({
                  type,
                  objects: [object],
                  version: tableVersion,
                  includeObject,
                  resourceVersion: object.metadata.resourceVersion,
                  noHeaders: !first,
                })
            : undefined,
        });
        this.watches.add(stop);
        res.on('close', () => this.watches.delete(stop));
        return;
      }
      case 'create':
        send(201, this.handlers.create(request, await decodeBody(req, type)));
        return;
      case 'update':
        send(200, this.handlers.update(request, await decodeBody(req, type)));
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
        send(existed ? 200 : 201, result);
        return;
      }
      case 'delete': {
        // DeleteOptions (preconditions) come as JSON from client-node; a
        // protobuf-encoded body (kubectl) is not decoded: its preconditions
        // are not checked (see the README)
        const isProtobuf =
          String(req.headers['content-type'] ?? '')
            .split(';')[0]
            .trim() === PROTOBUF;
        const body = isProtobuf ? '' : await readBody(req);
        send(
          200,
          this.handlers.delete(request, body ? parseJson(body) : undefined),
        );
        return;
      }
      case 'deletecollection':
        send(200, this.handlers.deleteCollection(request));
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

/**
 * Decodes a create/update body by its Content-Type, as the apiserver's
 * negotiated serializers do (apimachinery `pkg/runtime/serializer`):
 * JSON (the default), YAML, and for built-in kinds protobuf. Custom
 * resources have no protobuf form: 415, as kube-apiserver answers.
 */
async function decodeBody(
  req: IncomingMessage,
  type: { custom?: boolean },
): Promise<unknown> {
  const contentType = String(req.headers['content-type'] ?? '')
    .split(';')[0]
    .trim();
  if (contentType === PROTOBUF) {
    if (type.custom) {
      throw new KubeApiError(
        415,
        'UnsupportedMediaType',
        `the body of the request was in an unknown format - accepted media types include: application/json, application/yaml`,
      );
    }
    return decodeProtobufObject(await readBodyBytes(req)) as KubeObject;
  }
  const text = await readBody(req);
  if (contentType === 'application/yaml') {
    try {
      return parseYaml(text);
    } catch (error) {
      throw badRequest(`error decoding YAML: ${(error as Error).message}`);
    }
  }
  return parseJson(text);
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
