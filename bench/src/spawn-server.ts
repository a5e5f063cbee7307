// Starts a bench server file (the API and its bare floor) in a child process, with a CPU
// profile when BENCH_CPU_PROF names a folder; its first stdout line is its JSON hello.
//
// The server runs as production runs the API (infra/scripts/bundle.mjs, `node dist/main.js`):
// compiled into one ES module by esbuild, npm packages imported from node_modules, started
// with plain node. Under tsx every function a closure creates went through esbuild's
// keep-names helper (`__name`, an Object.defineProperty per closure), which the production
// build does not have. BENCH_TSX=1 runs the TypeScript through tsx instead.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build, type Plugin } from 'esbuild';

const benchDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const root = path.resolve(benchDir, '..');

/** Bare imports other than the workspace's own packages stay imports of node_modules. */
const externalNpmPackages: Plugin = {
  name: 'external-npm-packages',
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (args) => (args.path.startsWith('@unionpoint/') ? undefined : { path: args.path, external: true }));
  },
};

/**
 * Each workspace file keeps its own `import.meta.url` and `import.meta.dirname` in the bundle:
 * what they locate (the migrations of the test database, pg's protocol module, the Prisma
 * client's query compiler) is found where it is under tsx.
 */
const ownImportMeta: Plugin = {
  name: 'own-import-meta',
  setup(b) {
    b.onLoad({ filter: /\.ts$/ }, async (args) => {
      if (args.path.includes(`${path.sep}node_modules${path.sep}`)) return undefined;
      const text = await readFile(args.path, 'utf8');
      if (!text.includes('import.meta.')) return undefined;
      const contents = text
        .replaceAll('import.meta.url', JSON.stringify(pathToFileURL(args.path).href))
        .replaceAll('import.meta.dirname', JSON.stringify(path.dirname(args.path)));
      return { contents, loader: 'ts' };
    });
  },
};

/** Compiles `file` (relative to bench/src) to bench/dist/<name>.mjs; returns its path. */
export async function buildBenchServer(file: string): Promise<string> {
  const entry = path.join(benchDir, 'src', file);
  const outfile = path.join(benchDir, 'dist', `${path.basename(file, '.ts')}.mjs`);
  await build({
    absWorkingDir: root,
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    conditions: ['import', 'node'],
    plugins: [externalNpmPackages, ownImportMeta],
    logLevel: 'warning',
  });
  return outfile;
}

export async function spawnBenchServer(file: string): Promise<{ child: ChildProcess; next(): Promise<unknown> }> {
  const tsx = process.env.BENCH_TSX === '1';
  const script = tsx ? fileURLToPath(new URL(file, import.meta.url)) : await buildBenchServer(file);
  const child = spawn(
    process.execPath,
    [
      ...(process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : []),
      ...(tsx ? ['--import', 'tsx'] : []),
      script,
    ],
    { stdio: ['pipe', 'pipe', 'inherit'] },
  );
  const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
  return { child, next: async () => JSON.parse((await lines.next()).value as string) };
}
