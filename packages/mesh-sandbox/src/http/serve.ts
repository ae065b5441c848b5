import http, { IncomingMessage, ServerResponse } from 'node:http';
import https from 'node:https';
import { AddressInfo, Socket } from 'node:net';
import { FaultRule, Faults } from './faults';
import { RequestLog, ServerName } from './requestLog';

/** A request handler; may be async. */
export type Handler = (
  req: IncomingMessage,
  res: ServerResponse,
) => void | Promise<void>;

/** A started server. */
export interface RunningServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

/** Reads a request body as text. */
export async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** Reads a request body as bytes (protobuf bodies are binary). */
export async function readBodyBytes(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** Sends a JSON response. */
export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string | string[]> = {},
) {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    ...headers,
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(text),
  });
  res.end(text);
}

/** Sends a plain-text response. */
export function sendText(
  res: ServerResponse,
  status: number,
  text: string,
  contentType = 'text/plain; charset=utf-8',
) {
  res.writeHead(status, {
    'Content-Type': contentType,
    'Content-Length': Buffer.byteLength(text),
  });
  res.end(text);
}

/**
 * Starts an HTTP(S) server on 127.0.0.1 that logs every request and applies
 * fault rules before the handler runs. `onFault` renders an injected error
 * the way that server's clients expect (a Kubernetes Status, plain text...).
 */
export async function serve(options: {
  name: ServerName;
  port: number;
  handler: Handler;
  log: RequestLog;
  faults?: Faults;
  tls?: { key: string; cert: string };
  onFault?: (res: ServerResponse, rule: FaultRule) => void;
  /** The authenticated user, for the log. */
  userOf?: (req: IncomingMessage) => string;
}): Promise<RunningServer> {
  const { name, handler, log, faults, tls, onFault, userOf } = options;
  const listener = (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://sandbox');
    const method = req.method ?? 'GET';
    const time = Date.now();
    let logged = false;
    const record = () => {
      if (logged) return;
      logged = true;
      log.add({
        server: name,
        method,
        path: url.pathname,
        query: url.search.replace(/^\?/, ''),
        contentType: String(req.headers['content-type'] ?? ''),
        status: res.statusCode,
        user: userOf ? userOf(req) : '',
        time,
      });
    };
    res.on('finish', record);
    res.on('close', record);
    const rule = faults?.match(name, method, url.pathname);
    const run = async () => {
      if (rule?.delayMs) {
        await new Promise(resolve => setTimeout(resolve, rule.delayMs));
      }
      if (rule?.status) {
        if (onFault) onFault(res, rule);
        else
          sendText(
            res,
            rule.status,
            rule.message ?? `injected fault ${rule.id}`,
          );
        return;
      }
      await handler(req, res);
    };
    run().catch(error => {
      if (!res.headersSent) {
        sendText(res, 500, `internal error: ${(error as Error).message}`);
      } else {
        res.destroy();
      }
    });
  };
  const server = tls
    ? https.createServer({ key: tls.key, cert: tls.cert }, listener)
    : http.createServer(listener);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  // Every accepted socket, a TLS one still in its handshake included: such a
  // socket is not yet an HTTP connection, so closeAllConnections() misses it,
  // and a watch sent on it once the handshake ends would hold close() open
  const sockets = new Set<Socket>();
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `${tls ? 'https' : 'http'}://127.0.0.1:${port}`,
    port,
    close: () =>
      new Promise<void>(resolve => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      }),
  };
}
