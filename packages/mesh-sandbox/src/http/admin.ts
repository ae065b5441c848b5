import { IncomingMessage, ServerResponse } from 'node:http';
import { z, ZodError } from 'zod';
import {
  SpanServiceNameScheme,
  TrafficSimulator,
} from '../telemetry/simulator';
import { trafficSchema } from '../telemetry/trafficConfig';
import { Faults, faultRuleSchema } from './faults';
import { RequestLog } from './requestLog';
import { readBody, sendJson } from './serve';

const schemeSchema = z.object({
  scheme: z
    .enum(['waypoint', 'service'])
    .describe('waypoint: 1.24-1.27 names; service: 1.28+ FQDNs'),
});

function zodMessage(error: ZodError): string {
  return error.issues
    .map(issue => `${issue.path.join('.') || 'body'}: ${issue.message}`)
    .join('; ');
}

async function jsonBody(req: IncomingMessage): Promise<unknown> {
  const text = await readBody(req);
  try {
    return text ? JSON.parse(text) : {};
  } catch {
    throw new ZodError([
      { code: 'custom', path: [], message: 'the body must be JSON' },
    ]);
  }
}

/**
 * The admin endpoint: fault rules (`/faults`), the request log
 * (`/requests`), the traffic configuration (`/traffic`) and the span naming
 * scheme (`/spans/scheme`). JSON in and out; bad input is a 400 naming the field.
 */
export function adminHandler(deps: {
  faults: Faults;
  log: RequestLog;
  simulator: TrafficSimulator;
}) {
  const { faults, log, simulator } = deps;
  return async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://admin');
    const route = `${req.method} ${url.pathname}`;
    try {
      if (route === 'GET /') {
        return sendJson(res, 200, {
          endpoints: [
            'GET|POST|DELETE /faults',
            'DELETE /faults/<id>',
            'GET|DELETE /requests',
            'GET|PUT /traffic',
            'PUT /spans/scheme',
          ],
        });
      }
      if (route === 'GET /faults') return sendJson(res, 200, faults.list());
      if (route === 'POST /faults') {
        return sendJson(
          res,
          201,
          faults.add(faultRuleSchema.parse(await jsonBody(req))),
        );
      }
      if (route === 'DELETE /faults') {
        faults.clear();
        return sendJson(res, 200, []);
      }
      const faultId = /^DELETE \/faults\/([^/]+)$/.exec(route)?.[1];
      if (faultId) {
        return faults.remove(faultId)
          ? sendJson(res, 200, { removed: faultId })
          : sendJson(res, 404, { error: `no fault rule with id ${faultId}` });
      }
      if (route === 'GET /requests') {
        const server = url.searchParams.get('server');
        return sendJson(
          res,
          200,
          log.list(e => !server || e.server === server),
        );
      }
      if (route === 'DELETE /requests') {
        log.clear();
        return sendJson(res, 200, []);
      }
      if (route === 'GET /traffic')
        return sendJson(res, 200, simulator.traffic);
      if (route === 'PUT /traffic') {
        simulator.configure(trafficSchema.parse(await jsonBody(req)));
        return sendJson(res, 200, simulator.traffic);
      }
      if (route === 'PUT /spans/scheme') {
        const { scheme } = schemeSchema.parse(await jsonBody(req));
        simulator.setSpanScheme(scheme as SpanServiceNameScheme);
        return sendJson(res, 200, { scheme });
      }
      return sendJson(res, 404, { error: `no admin route ${route}` });
    } catch (error) {
      if (error instanceof ZodError) {
        return sendJson(res, 400, { error: zodMessage(error) });
      }
      throw error;
    }
  };
}
