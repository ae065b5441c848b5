import { ServerResponse } from 'node:http';
import { gone } from './errors';
import { VerbHandlers, VerbRequest } from './handlers';
import {
  matchesFields,
  matchesLabels,
  parseFieldSelector,
  parseLabelSelector,
} from './selectors';
import { ObjectStore, resourceKey, StoreEvent } from './store';
import { KubeObject } from './types';

/**
 * Serves a watch: newline-delimited JSON events (`{"type","object"}`) over a
 * chunked response. Without a resourceVersion (or with "0") it first sends
 * ADDED for every existing object, like the real API server; with one, it
 * replays the changes after it, or sends a 410 Expired ERROR event.
 * Returns a function that ends the watch.
 */
export function serveWatch(options: {
  store: ObjectStore;
  handlers: VerbHandlers;
  request: VerbRequest;
  res: ServerResponse;
  /** Renders each event's object (a Table row for `as=Table`); identity by default. */
  render?: (object: KubeObject, first: boolean) => unknown;
}): () => void {
  const { store, handlers, request, res } = options;
  let first = true;
  const render = (object: KubeObject) => {
    const out = options.render ? options.render(object, first) : object;
    first = false;
    return out;
  };
  const { type, path, query } = request;
  const labels = parseLabelSelector(query.get('labelSelector') ?? '');
  const fields = parseFieldSelector(query.get('fieldSelector') ?? '');
  const resource = resourceKey(type.group, type.plural);
  res.writeHead(200, {
    'Content-Type': 'application/json',
    'Transfer-Encoding': 'chunked',
    'Cache-Control': 'no-cache, private',
  });
  res.flushHeaders();
  const send = (eventType: string, object: unknown) => {
    const rendered =
      eventType === 'ERROR' ? object : render(object as KubeObject);
    res.write(`${JSON.stringify({ type: eventType, object: rendered })}\n`);
  };
  const wanted = (event: StoreEvent) =>
    event.resource === resource &&
    (path.namespace === undefined ||
      event.object.metadata.namespace === path.namespace) &&
    (path.name === undefined || event.object.metadata.name === path.name) &&
    matchesLabels(labels, event.object.metadata.labels) &&
    matchesFields(fields, event.object);

  const resourceVersion = query.get('resourceVersion');
  if (!resourceVersion || resourceVersion === '0') {
    for (const object of handlers.selected(request)) {
      if (path.name === undefined || object.metadata.name === path.name) {
        send('ADDED', object);
      }
    }
  } else {
    const events = store.eventsSince(Number(resourceVersion));
    if (!events) {
      send('ERROR', gone(resourceVersion).toStatus());
      res.end();
      return () => {};
    }
    for (const event of events.filter(wanted)) {
      send(event.type, handlers.asVersion(type, event.object));
    }
  }
  let stopped = false;
  const expiry: { timer?: NodeJS.Timeout } = {};
  const unsubscribe = store.subscribe(event => {
    if (!stopped && wanted(event)) {
      send(event.type, handlers.asVersion(type, event.object));
    }
  });
  const stop = () => {
    if (stopped) return;
    stopped = true;
    unsubscribe();
    clearTimeout(expiry.timer);
    res.end();
  };
  const timeoutSeconds = Number(query.get('timeoutSeconds') ?? 1800);
  expiry.timer = setTimeout(stop, Math.max(1, timeoutSeconds) * 1000);
  expiry.timer.unref();
  res.on('close', stop);
  return stop;
}
