import { Router } from 'express';
import { Config } from './config';
import { demoTokenFor } from './demo/demo-tokens';
import { wallboardRoutes } from './features/wallboard/wallboard.routes';
import { Role } from './features/workspaces/role';
import { explorerRoutes } from './infra/http/explorer';
import { assetRoutes } from './infra/http/web-page';

/**
 * The pages the API serves itself: `/wallboard`, GraphiQL on a browser's GET of `/graphql`
 * (when `config.explorer`), and their bundles under `/assets`. With the demo workspace they
 * come with its tokens filled in (the wallboard an analyst's, the explorer an admin's).
 * Mount before the GraphQL middleware.
 */
export function webRoutes(config: Config): Router {
  const router = Router();
  const demo = config.seedDemo;
  router.use(assetRoutes());
  // Minted per page: the tokens expire, the server may run for weeks.
  router.use(wallboardRoutes({ demoToken: demo ? () => demoTokenFor(config.jwtSecret, Role.ANALYST) : undefined }));
  if (config.explorer) router.use(explorerRoutes({ token: demo ? () => demoTokenFor(config.jwtSecret, Role.ADMIN) : undefined }));
  return router;
}
