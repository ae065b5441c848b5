import http from 'node:http';
import { AddressInfo } from 'node:net';
import { downloadAllowed, resolveManifestUrl } from './gatewayApiManifest';

async function serve(handler: http.RequestListener) {
  const server = http.createServer(handler);
  await new Promise<void>(r => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    close: () => {
      server.closeAllConnections();
      return new Promise(r => server.close(r));
    },
  };
}

describe('Gateway API manifests from configured URLs only', () => {
  const sources = {
    urls: [
      'https://mirror.example.com/gateway-api/{version}/standard-install.yaml',
    ],
  };

  it('takes the first configured URL for the version', () => {
    expect(resolveManifestUrl('v1.3.0', sources)).toBe(
      'https://mirror.example.com/gateway-api/v1.3.0/standard-install.yaml',
    );
  });

  it('refuses a URL nobody configured, without echoing its credentials', () => {
    expect(() =>
      resolveManifestUrl(
        'v1.3.0',
        sources,
        'https://u:secret@evil.example.com/x?token=t',
      ),
    ).toThrow(
      /only the manifest URLs a platform admin listed in istio.onboarding.gatewayApiManifests.urls/,
    );
    const message = (() => {
      try {
        resolveManifestUrl(
          'v1.3.0',
          sources,
          'https://u:secret@evil.example.com/x?token=t',
        );
        return '';
      } catch (error) {
        return (error as Error).message;
      }
    })();
    expect(message).toMatch(/gatewayApiManifestUrl/);
    expect(message).not.toMatch(/secret|token=t|evil/);
  });

  it('refuses when no source is configured, naming the config key', () => {
    expect(() => resolveManifestUrl('v1.3.0', { urls: [] })).toThrow(
      /istio.onboarding.gatewayApiManifests.urls/,
    );
  });

  it('follows a redirect on the same host, refuses one to another host', async () => {
    const other = await serve((_req, res) => res.end('elsewhere'));
    const origin = await serve((req, res) => {
      if (req.url === '/same') {
        res.writeHead(302, { location: '/final' }).end();
      } else if (req.url === '/final') {
        res.end('kind: CustomResourceDefinition');
      } else {
        res
          .writeHead(302, {
            location: `${other.url.replace('127.0.0.1', 'localhost')}/x`,
          })
          .end();
      }
    });
    try {
      await expect(downloadAllowed(`${origin.url}/same`, {})).resolves.toBe(
        'kind: CustomResourceDefinition',
      );
      await expect(downloadAllowed(`${origin.url}/away`, {})).rejects.toThrow(
        /redirects to another host/,
      );
    } finally {
      await origin.close();
      await other.close();
    }
  });

  it('stops at the size cap and at the deadline', async () => {
    const server = await serve((req, res) => {
      if (req.url === '/big') {
        res.end('x'.repeat(5000));
      }
      // /slow never answers
    });
    try {
      await expect(
        downloadAllowed(`${server.url}/big`, { maxBytes: 1000 }),
      ).rejects.toThrow(/larger than 1000 bytes/);
      await expect(
        downloadAllowed(`${server.url}/slow`, { timeoutMs: 200 }),
      ).rejects.toThrow(/was stopped \(deadline/);
    } finally {
      await server.close();
    }
  });
});
