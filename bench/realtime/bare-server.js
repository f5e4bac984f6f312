'use strict';
/**
 * The ceiling: a bare `ws` server that makes the API's broadcast with no GraphQL, no database
 * and no protocol state. Each broadcast is what one move sends the API's subscribers: an event
 * message and a metrics message of the same shape and size as those the clients received from
 * the API (`samples`), the event with its own seq and send time, so the clients read and time
 * them exactly as they do the API's. Each message is serialised and encoded once and the same
 * bytes go to every client, as a well-made broadcast does. Controlled over IPC by fanout.js:
 * `steady` (r broadcasts per second for s seconds) and `flood` (as fast as the sockets take them).
 */
const http = require('node:http');
const { WebSocketServer } = require('ws');

const server = http.createServer();
const wss = new WebSocketServer({ server, perMessageDeflate: false });

/** The API's messages, parsed (the event) and as bytes (the metrics): set by the first command. */
let event;
let metrics;
let seq = 0;

function broadcast() {
  const { dealEvents } = event.payload.data;
  dealEvents.seq = String(++seq);
  dealEvents.occurredAt = new Date().toISOString();
  const eventBytes = Buffer.from(JSON.stringify(event));
  for (const client of wss.clients) client.send(eventBytes);
  for (const client of wss.clients) client.send(metrics);
}

function busy() {
  for (const client of wss.clients) if (client.bufferedAmount > 256 * 1024) return true;
  return false;
}

// A benchmark that fails leaves no sockets behind: this process ends with its parent.
process.on('disconnect', () => process.exit(0));

process.on('message', (command) => {
  if (command.samples) {
    event = JSON.parse(command.samples.event);
    metrics = Buffer.from(command.samples.metrics);
  }
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
