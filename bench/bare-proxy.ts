/**
 * The yardstick: the thinnest useful Node proxy (node:http in, undici keep-alive pool out,
 * bytes piped both ways, no parsing). Arbiter's overhead is measured against this.
 * Run: node --import tsx bench/bare-proxy.ts <upstream-url> [port]
 */
import { createServer } from 'node:http';
import { Pool } from 'undici';
import type { AddressInfo } from 'node:net';

const upstream = process.argv[2];
if (!upstream) throw new Error('usage: bare-proxy <upstream-url> [port]');
const pool = new Pool(upstream, { connections: 128, pipelining: 1, keepAliveTimeout: 30_000 });

const server = createServer({ keepAlive: true }, (req, res) => {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (typeof value === 'string' && name !== 'host' && name !== 'connection') headers[name] = value;
  }
  pool.request({ method: req.method as 'POST', path: req.url ?? '/', headers, body: req })
    .then(({ statusCode, headers: upstreamHeaders, body }) => {
      const out: Record<string, string> = {};
      for (const [name, value] of Object.entries(upstreamHeaders)) {
        if (typeof value === 'string' && name !== 'connection' && name !== 'keep-alive' && name !== 'transfer-encoding') out[name] = value;
      }
      res.writeHead(statusCode, out);
      body.pipe(res);
    })
    .catch(() => {
      res.writeHead(502);
      res.end();
    });
});
server.keepAliveTimeout = 65_000;
server.listen(Number(process.argv[3] ?? 0), '127.0.0.1', () => {
  process.stdout.write(`listening ${(server.address() as AddressInfo).port}\n`);
});
