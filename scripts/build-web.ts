import { buildWebBundles, WEB_OUT } from '../src/infra/http/web-bundles';

/** `npm run build:web`: bundles the wallboard and the explorer into dist/web. */
const started = Date.now();
buildWebBundles().then(() => {
  console.log(`web bundles written to ${WEB_OUT} in ${Date.now() - started} ms`);
}, (err) => {
  console.error(err);
  process.exit(1);
});
