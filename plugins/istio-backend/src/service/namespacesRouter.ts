import { HttpAuthService } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import Router from 'express-promise-router';
import { NamespaceDirectory } from './NamespaceDirectory';

/**
 * `GET /v1/namespaces?cluster=<name>`: the namespaces the signed-in user may
 * change with the istio:* write actions, with their mesh state and owners
 * (the templates' namespace picker).
 */
export function createNamespacesRouter(options: {
  httpAuth: HttpAuthService;
  directory: NamespaceDirectory;
}) {
  const router = Router();
  router.get('/v1/namespaces', async (req, res) => {
    const credentials = await options.httpAuth.credentials(req, {
      allow: ['user'],
    });
    const cluster = req.query.cluster;
    if (cluster !== undefined && typeof cluster !== 'string') {
      throw new InputError('Query "cluster" must be one cluster name');
    }
    res.json(await options.directory.list(credentials, cluster || undefined));
  });
  return router;
}
