'use strict';
const net = require('node:net');

/**
 * A TCP proxy in front of PostgreSQL that counts the statements clients send: every simple
 * Query ('Q') and every Execute ('E') of the extended protocol. It reads only the
 * client-to-server direction and passes every byte through unchanged, so it counts the same
 * way for any driver and any server (pg_stat_statements needs shared_preload_libraries,
 * which the shared database server does not load).
 *
 * A session that LISTENs (Dealstream's event dispatcher, which reads the event log on its
 * own schedule) is background work, not the cost of a request: its statements are left out.
 *
 * Used only for the counting runs: under load the servers talk to PostgreSQL directly.
 */
function startStatementCounter({ upstreamHost = '127.0.0.1', upstreamPort = 5432 } = {}) {
  const sessions = new Set();
  const sockets = new Set();

  const server = net.createServer((client) => {
    const upstream = net.connect(upstreamPort, upstreamHost);
    sockets.add(client).add(upstream);
    const session = { statements: 0, background: false };
    sessions.add(session);
    let buffered = Buffer.alloc(0);
    let startup = true; // the first message has no type byte

    client.on('data', (chunk) => {
      upstream.write(chunk);
      buffered = Buffer.concat([buffered, chunk]);
      for (;;) {
        const headerSize = startup ? 4 : 5;
        if (buffered.length < headerSize) break;
        const length = buffered.readInt32BE(startup ? 0 : 1);
        const total = startup ? length : length + 1;
        if (buffered.length < total) break;
        if (!startup && (buffered[0] === 0x51 || buffered[0] === 0x45)) session.statements += 1; // 'Q', 'E'
        if (!startup && buffered[0] === 0x51 && /^\s*LISTEN\b/i.test(buffered.toString('utf8', 5, Math.min(total, 64)))) session.background = true;
        // An SSLRequest or GSSENCRequest is followed by another startup message.
        if (startup) startup = length === 8 && buffered.readInt32BE(4) >= 80877103;
        buffered = buffered.subarray(total);
      }
    });
    upstream.pipe(client);
    const close = () => { client.destroy(); upstream.destroy(); sockets.delete(client); sockets.delete(upstream); };
    client.on('error', close).on('close', close);
    upstream.on('error', close).on('close', close);
  });

  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => resolve({
      port: server.address().port,
      /** Statements counted since the last reset; with `background`, the LISTENing sessions' too. */
      count: (background = false) => [...sessions].reduce((n, s) => n + (s.background && !background ? 0 : s.statements), 0),
      reset: () => { for (const s of sessions) s.statements = 0; },
      close: () => new Promise((done) => { for (const s of sockets) s.destroy(); server.close(() => done()); }),
    }));
  });
}

module.exports = { startStatementCounter };
