import 'reflect-metadata';
import { createDataSource } from './src/infra/db/data-source';

/** The data source of the TypeORM CLI: `npm run migration:generate` and friends. */
export default createDataSource({
  url: process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/dealstream',
});
