import { connect, Socket } from 'node:net';
import { startTestApp } from '../helpers/test-app';

/** The next whole HTTP response on `socket` (a body of Content-Length bytes), or null if the server closed it first. */
function nextResponse(socket: Socket): Promise<string | null> {
  return new Promise((resolve) => {
    if (socket.destroyed) return resolve(null);
    let text = '';
    const done = (value: string | null) => {
      socket.removeListener('data', onData);
      socket.removeListener('close', onClose);
      resolve(value);
    };
    const onData = (chunk: Buffer) => {
      text += chunk.toString('utf8');
      const end = text.indexOf('\r\n\r\n');
      const length = Number(/content-length: (\d+)/i.exec(text)?.[1] ?? NaN);
      if (end >= 0 && text.length >= end + 4 + length) done(text);
    };
    const onClose = () => done(null);
    socket.on('data', onData);
    socket.once('close', onClose);
  });
}

test('an idle keep-alive connection is still served after 6 s (node closes it after 5 s by default)', async () => {
  const t = await startTestApp();
  const { hostname, port } = new URL(t.url);
  const socket = connect(Number(port), hostname);
  try {
    await new Promise((resolve) => socket.once('connect', resolve));
    const request = `GET /healthz HTTP/1.1\r\nHost: ${hostname}\r\nConnection: keep-alive\r\n\r\n`;
    socket.write(request);
    expect(await nextResponse(socket)).toMatch(/^HTTP\/1\.1 200/);
    // A load balancer keeps its idle connections to the server for up to a minute and reuses them.
    await new Promise((resolve) => setTimeout(resolve, 6_000));
    const second = nextResponse(socket);
    socket.write(request);
    expect(await second).toMatch(/^HTTP\/1\.1 200/);
  } finally {
    socket.destroy();
    await t.stop();
  }
}, 30_000);
