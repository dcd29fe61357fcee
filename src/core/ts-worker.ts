/**
 * Starting a worker thread on a TypeScript module. The project runs its sources through the tsx
 * loader (no build step), and a worker does not inherit a loader registered at run time, so the
 * worker first registers tsx itself and then imports the module.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker, type WorkerOptions } from 'node:worker_threads';

// The ESM entry of tsx's API, read from its package exports (require.resolve would give the
// CommonJS one, which cannot register the ESM loader from a worker).
const tsxPackage = createRequire(import.meta.url).resolve('tsx/package.json');
const tsxExports = (
  JSON.parse(readFileSync(tsxPackage, 'utf8')) as {
    exports: Record<string, { import: { default: string } }>;
  }
).exports;
const tsxApi = pathToFileURL(
  path.join(path.dirname(tsxPackage), tsxExports['./esm/api']!.import.default),
).href;

export function startTsWorker(moduleUrl: URL, options: Omit<WorkerOptions, 'eval'> = {}): Worker {
  const bootstrap = `
    const { register } = await import(${JSON.stringify(tsxApi)});
    register();
    await import(${JSON.stringify(moduleUrl.href)});
  `;
  return new Worker(
    `import(${JSON.stringify('data:text/javascript,' + encodeURIComponent(bootstrap))})`,
    {
      ...options,
      eval: true,
    },
  );
}
