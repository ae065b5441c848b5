import net from 'node:net';
import { generateTls } from '../tls';
import { RequestLog } from './requestLog';
import { sendText, serve } from './serve';

describe('serve', () => {
  it('closes while a TLS client has connected and not finished its handshake', async () => {
    const running = await serve({
      name: 'kubernetes',
      port: 0,
      tls: generateTls(),
      log: new RequestLog(),
      handler: (_req, res) => sendText(res, 200, 'ok'),
    });
    // A raw TCP socket that never sends its ClientHello: the TLS server has
    // accepted it, the HTTP layer has not seen it yet
    const socket = net.connect(running.port, '127.0.0.1');
    await new Promise<void>(resolve => socket.once('connect', resolve));
    const socketClosed = new Promise<void>(resolve =>
      socket.once('close', () => resolve()),
    );

    await running.close();
    await socketClosed;
    expect(socket.destroyed).toBe(true);
  });

  it('ends an open keep-alive connection on close', async () => {
    const running = await serve({
      name: 'metrics',
      port: 0,
      log: new RequestLog(),
      handler: (_req, res) => sendText(res, 200, 'ok'),
    });
    // fetch (undici) keeps its connection alive by default
    const response = await fetch(`${running.url}/`);
    expect(await response.text()).toBe('ok');
    await running.close();
    await expect(fetch(`${running.url}/`)).rejects.toThrow();
  });
});
