'use strict';
/**
 * The ceiling: a bare `ws` server that makes the API's broadcast with no GraphQL, no database
 * and no protocol. Each broadcast is what one move costs the API: a message of the size of
 * a deal event (it carries its send time, so the clients time it) followed by one of the size
 * of a metrics message. Each message is serialised and encoded once and the same bytes go to
 * every client, as a well-made broadcast does. Controlled over IPC by fanout.js: `steady`
 * (r broadcasts per second for s seconds) and `flood` (as fast as the sockets take them).
 */
const http = require('node:http');
const { WebSocketServer } = require('ws');

const server = http.createServer();
const wss = new WebSocketServer({ server, perMessageDeflate: false });

/** A JSON message of exactly `bytes` bytes (at least its skeleton's). */
function message(fields, bytes) {
  const skeleton = JSON.stringify({ ...fields, pad: '' });
  return Buffer.from(JSON.stringify({ ...fields, pad: 'x'.repeat(Math.max(0, bytes - skeleton.length)) }));
}

let sizes = { event: 300, metrics: 300 };

function broadcast() {
  const event = message({ t: Date.now() }, sizes.event);
  for (const client of wss.clients) client.send(event);
  const metrics = message({}, sizes.metrics);
  for (const client of wss.clients) client.send(metrics);
}

function busy() {
  for (const client of wss.clients) if (client.bufferedAmount > 256 * 1024) return true;
  return false;
}

// A benchmark that fails leaves no sockets behind: this process ends with its parent.
process.on('disconnect', () => process.exit(0));

process.on('message', (command) => {
  if (command.sizes) sizes = command.sizes;
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
