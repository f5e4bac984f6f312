import { Router } from 'express';
import { DataSource } from 'typeorm';

/**
 * `/healthz`: the process answers. `/readyz`: and its database does too; `details` say how
 * the instance serves meanwhile (never a reason to refuse traffic).
 */
export function healthRoutes(dataSource: DataSource, details: () => Record<string, unknown> = () => ({})): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/readyz', async (_req, res) => {
    try {
      await dataSource.query('SELECT 1');
      res.json({ status: 'ready', details: details() });
    } catch {
      res.status(503).json({ status: 'database unreachable', details: details() });
    }
  });
  return router;
}
