import { existsSync } from 'node:fs';
import path from 'node:path';
import express, { NextFunction, Request, Response, Router } from 'express';
import { ensureWebBundles, WEB_OUT } from './web-bundles';

/** JSON that is safe inside a <script> element. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c');
}

/** A page that loads one bundle (`/assets/<bundle>.js` and `.css`) and hands it `config` as JSON. */
export function htmlPage(title: string, bundle: string, configId: string, config: unknown, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/assets/${bundle}.css">
</head>
<body>
${body}
<script id="${configId}" type="application/json">${scriptJson(config)}</script>
<script type="module" src="/assets/${bundle}.js"></script>
</body>
</html>`;
}

/**
 * Security headers for our own pages: scripts and styles from this origin only (the
 * explorer's editor needs inline styles), connections to this origin over HTTP and WebSocket.
 */
export function pageHeaders(res: Response): void {
  res.set({
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'content-security-policy': "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
      + "font-src 'self' data:; connect-src 'self' ws: wss:; frame-ancestors 'none'",
  });
}

/** `/assets/*`: the bundles, built on the first request when missing or stale (development). */
export function assetRoutes(): Router {
  const router = Router();
  const files = express.static(WEB_OUT, { index: false, fallthrough: false, maxAge: '5m' });
  router.use('/assets', async (req: Request, res: Response, next: NextFunction) => {
    try {
      await ensureWebBundles();
    } catch (err) {
      if (!existsSync(path.join(WEB_OUT, 'wallboard.js'))) {
        res.status(503).type('text/plain').send('The web bundles are not built: run `npm run build:web`.');
        return;
      }
      void err;
    }
    files(req, res, next);
  });
  return router;
}
