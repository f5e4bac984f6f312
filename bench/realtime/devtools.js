'use strict';
/** A Chrome DevTools Protocol session with a node process started with `--inspect`. */
const WebSocket = require('ws');

/** `call(method, params)` answers with the result; `listen(l)` hears the events; `close()` ends the session. */
async function devtools(port) {
  const [target] = await (await fetch(`http://127.0.0.1:${port}/json/list`)).json();
  const socket = new WebSocket(target.webSocketDebuggerUrl, { perMessageDeflate: false, maxPayload: 1 << 30 });
  await new Promise((resolve, reject) => { socket.once('open', resolve); socket.once('error', reject); });
  let next = 1;
  const waiting = new Map();
  const listeners = [];
  socket.on('message', (data) => {
    const message = JSON.parse(data);
    if (message.id !== undefined) {
      waiting.get(message.id)?.(message);
      waiting.delete(message.id);
    } else listeners.forEach((l) => l(message));
  });
  const call = (method, params = {}) => new Promise((resolve, reject) => {
    const id = next++;
    waiting.set(id, (m) => (m.error ? reject(new Error(JSON.stringify(m.error))) : resolve(m.result)));
    socket.send(JSON.stringify({ id, method, params }));
  });
  return {
    call,
    listen: (listener) => listeners.push(listener),
    unlisten: () => { listeners.length = 0; },
    close: () => socket.close(),
  };
}

module.exports = { devtools };
