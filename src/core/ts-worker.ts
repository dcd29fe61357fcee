/**
 * Starting a worker thread on a TypeScript module. The project runs its sources through the tsx
 * loader (no build step), and a worker does not inherit a loader registered at run time.
 * Registering tsx inside each worker works but costs about 26 MB a worker (Node runs module
 * hooks on a thread of their own), which the import's memory budget cannot spare for two
 * parsing workers. So the module and what it imports are bundled once per process with esbuild
 * (the compiler tsx itself uses) into one CommonJS script, and the worker evaluates that.
 *
 * A worker module must therefore not use `import.meta` (a CommonJS bundle has none): esbuild
 * warns about it, and a warning is an error here.
 */
import { buildSync } from 'esbuild';
import { fileURLToPath } from 'node:url';
import { Worker, type WorkerOptions } from 'node:worker_threads';

const bundles = new Map<string, string>();
function bundle(moduleUrl: URL): string {
  let code = bundles.get(moduleUrl.href);
  if (code === undefined) {
    const result = buildSync({
      entryPoints: [fileURLToPath(moduleUrl)],
      bundle: true,
      write: false,
      format: 'cjs',
      platform: 'node',
      target: 'node20',
      packages: 'external',
      logLevel: 'silent',
    });
    if (result.warnings.length > 0)
      throw new Error(
        `cannot bundle ${moduleUrl.href} for a worker: ${result.warnings.map((w) => w.text).join('; ')}`,
      );
    // Packages stay outside the bundle (native modules cannot be bundled). An evaluated worker
    // would resolve their names from the working directory, which need not be where the program
    // is installed, so the bundle gets a `require` that resolves from the module's own file.
    code = `(function (require) {\n${result.outputFiles[0]!.text}\n})(require('node:module').createRequire(${JSON.stringify(fileURLToPath(moduleUrl))}));`;
    bundles.set(moduleUrl.href, code);
  }
  return code;
}

export function startTsWorker(moduleUrl: URL, options: Omit<WorkerOptions, 'eval'> = {}): Worker {
  return new Worker(bundle(moduleUrl), { ...options, eval: true });
}
