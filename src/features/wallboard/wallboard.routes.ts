import { Request, Response, Router } from 'express';
import { htmlPage, pageHeaders } from '../../infra/http/web-page';

/** What the wallboard page is served with. */
export interface WallboardOptions {
  /** Mints a read-only token to show the demo workspace with when the URL brings none (fresh per page). */
  demoToken?: () => string;
}

const BODY = `<header>
  <h1 id="pipeline-name">Dealstream</h1>
  <span id="picker"></span>
  <span id="updated"></span>
  <span id="status" class="status">connecting…</span>
</header>
<div id="tiles"></div>
<div id="manager"><section id="leaderboard"></section><section id="goals"></section></div>
<main>
  <div id="columns"></div>
  <aside><h2>Deal movements</h2><ol id="ticker"></ol><p class="ticker-empty">Movements appear here as they happen.</p></aside>
</main>`;

/**
 * `GET /wallboard`: a board for a TV. The token and pipeline come in the URL fragment
 * (`#token=…&pipeline=…`), which browsers never send to the server, so no log holds them.
 */
export function wallboardRoutes(options: WallboardOptions = {}): Router {
  const router = Router();
  router.get('/wallboard', (_req: Request, res: Response) => {
    pageHeaders(res);
    res.send(htmlPage('Dealstream wallboard', 'wallboard', 'wallboard-config', { token: options.demoToken?.() }, BODY));
  });
  return router;
}
