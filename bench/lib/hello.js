'use strict';
// The machine's ceiling: the cheapest possible HTTP answer, on the same node and port setup.
require('node:http').createServer((_req, res) => {
  res.writeHead(200, { 'content-type': 'text/plain' });
  res.end('hello');
}).listen(Number(process.env.PORT), '127.0.0.1');
