import { AddressInfo } from 'node:net';
import WebSocket, { WebSocketServer } from 'ws';

/** A bare `ws` server with one connected client: the server's side of the socket, and what the client received. */
export async function wsPair(): Promise<{ server: WebSocketServer; serverSide: WebSocket; client: WebSocket; received: string[] }> {
  const server = new WebSocketServer({ port: 0, host: '127.0.0.1', perMessageDeflate: false });
  await new Promise((resolve) => server.once('listening', resolve));
  const accepted = new Promise<WebSocket>((resolve) => server.once('connection', resolve));
  const client = new WebSocket(`ws://127.0.0.1:${(server.address() as AddressInfo).port}`);
  const received: string[] = [];
  client.on('message', (data) => received.push(data.toString()));
  await new Promise((resolve) => client.once('open', resolve));
  return { server, serverSide: await accepted, client, received };
}
