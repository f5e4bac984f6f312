'use strict';
/**
 * The ceiling: a bare `ws` server that broadcasts a message of the size of a deal event to
 * every client, with no GraphQL, no database and no protocol. Controlled over IPC by fanout.js:
 * `steady` (r messages per second for s seconds) and `flood` (as fast as the sockets take it).
 */
const http = require('node:http');
const { WebSocketServer } = require('ws');

const server = http.createServer();
const wss = new WebSocketServer({ server, perMessageDeflate: false });
const PAD = 'x'.repeat(Number(process.env.BARE_PAYLOAD_BYTES || 300));

function broadcast() {
  // One string per broadcast, sent to every client: what a naive fan-out does.
  const message = JSON.stringify({ t: Date.now(), pad: PAD });
  for (const client of wss.clients) client.send(message);
}

function busy() {
  for (const client of wss.clients) if (client.bufferedAmount > 256 * 1024) return true;
  return false;
}

process.on('message', (command) => {
  if (command.cmd === 'steady') {
    let sent = 0;
    const timer = setInterval(() => {
      broadcast();
      if (++sent >= command.rate * command.seconds) {
        clearInterval(timer);
        process.send({ ok: true, sent });
      }
    }, 1000 / command.rate);
  } else if (command.cmd === 'flood') {
    const until = Date.now() + command.seconds * 1000;
    let sent = 0;
    const step = () => {
      if (Date.now() >= until) return process.send({ ok: true, sent });
      if (!busy()) {
        broadcast();
        sent++;
      }
      setImmediate(step);
    };
    step();
  }
});

server.listen(0, '127.0.0.1', () => process.send({ ok: true, port: server.address().port }));
