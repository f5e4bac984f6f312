import { NextFunction, Request, Response, Router } from 'express';
import { htmlPage, pageHeaders } from './web-page';

/** What the explorer page is served with. */
export interface ExplorerOptions {
  /** Mints a token pre-filled in the Authorization header (the demo admin's), if any (fresh per page). */
  token?: () => string;
}

const BODY = `<style>html, body, #graphiql { height: 100%; margin: 0; }</style>
<div id="graphiql">Loading the explorer…</div>`;

/**
 * GraphiQL on a browser's GET of /graphql: a GET that asks for HTML and carries no query.
 * Every other GET (a GraphQL query over GET) falls through to the API.
 */
export function explorerRoutes(options: ExplorerOptions): Router {
  const router = Router();
  router.get('/graphql', (req: Request, res: Response, next: NextFunction) => {
    const wantsPage = req.query.query === undefined && req.accepts(['application/json', 'application/graphql-response+json', 'text/html']) === 'text/html';
    if (!wantsPage) return next();
    pageHeaders(res);
    res.send(htmlPage('Dealstream explorer', 'explorer', 'explorer-config', { token: options.token?.() }, BODY));
  });
  return router;
}
