// Module boundaries, checked by dependency-cruiser (`npm run lint:deps`, part of `npm run lint`).
// The layers below are the ones docs/ARCHITECTURE.md ("Module dependencies") describes; change
// both together (infra/test/boundaries.test.ts checks that they agree). Paths are relative to
// the repository root; infra/test/boundaries.test.ts runs the same rules on a fixture tree with
// deliberate violations to prove that each rule reports them.

/**
 * core/src modules, lowest first. A module imports only modules of earlier ranks (and `shared`,
 * which imports no module). Modules of one rank do not import each other.
 */
export const LAYERS = [
  ['audit', 'growth', 'idempotency', 'inbox'],
  ['program', 'stores', 'webhooks', 'auth'],
  ['identities'],
  ['coupons', 'sessions'],
  ['tiers'],
  ['retention', 'recompute'],
  ['tenants', 'members', 'plans'],
  ['points'],
  ['benefits', 'tasks', 'campaigns'],
  ['orders'],
  ['activities', 'rewards', 'merges', 'quotes', 'analytics', 'imports'],
  ['me'],
  ['extensions'],
];

/** The only npm packages core may use (besides Node's own modules and `@unionpoint/db`'s entry). */
const CORE_PACKAGES = ['zod', '@asteasolutions/zod-to-openapi', 'argon2', 'ipaddr.js', 'vitest', 'fast-check'];

// Known violations waiting for a change in flight are allowlisted in eslint.config.js
// (TEMPORARY_ALLOWLIST); the module graph below has none.

const esc = (s) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
const anyOf = (names) => `(${names.map(esc).join('|')})`;
const rule = (name, comment, from, to) => ({ name, severity: 'error', comment, from, to });

const ADAPTERS = '^(api|worker|web|infra|bench)/';

const layerRules = LAYERS.flatMap((rank, i) =>
  rank.map((m) => {
    const notAllowed = LAYERS.slice(i)
      .flat()
      .filter((x) => x !== m);
    return rule(
      `core-layer-${m}`,
      `core/${m} is in layer ${i + 1}: it imports only modules of earlier layers (docs/ARCHITECTURE.md, "Module dependencies").`,
      { path: `^core/src/${m}/` },
      { path: `^core/src/${anyOf(notAllowed)}/` },
    );
  }),
);

export const forbidden = [
  rule(
    'no-cycles',
    'No import cycles, at any level (a cycle through index files is a cycle between modules).',
    { path: '^(core|api|worker|web|infra|prisma|bench|sdk)/' },
    { circular: true },
  ),
  rule(
    'not-to-unresolvable',
    'Every import resolves (an unresolved path would slip past the other rules).',
    { path: '^(core|api|worker|infra|prisma/src|prisma/test|bench|sdk)/' },
    { couldNotResolve: true },
  ),
  rule(
    'core-module-surface',
    'A core module imports another module only through its index.ts, at any depth (shared/ is the exception).',
    { path: '^core/src/([^/]+)/' },
    { path: '^core/src/', pathNot: ['^core/src/$1/', '^core/src/shared/', '^core/src/[^/]+/index\\.ts$'] },
  ),
  rule(
    'core-root-entry',
    'core/src/index.ts re-exports shared/ only; modules are reached as @unionpoint/core/<module>.',
    { path: '^core/src/index\\.ts$' },
    { path: '^core/src/(?!shared/)' },
  ),
  rule(
    'core-shared-is-a-leaf',
    'core/shared imports no module (every module imports it).',
    { path: '^core/src/shared/' },
    { path: '^core/src/(?!shared/)' },
  ),
  ...layerRules,
  rule(
    'core-stays-in-core',
    'core imports no adapter (api, worker, web, infra, bench) and of the database package only its entry (@unionpoint/db).',
    { path: '^core/', pathNot: '\\.test\\.ts$' },
    { path: ['^(api|worker|web|infra|bench)/', '^prisma/'], pathNot: '^prisma/src/index\\.ts$' },
  ),
  rule(
    'core-tests-stay-in-core',
    'core tests import no adapter either; of the database package they may use its entry and its testing entry (@unionpoint/db/testing).',
    { path: '^core/.*\\.test\\.ts$' },
    { path: ['^(api|worker|web|infra|bench)/', '^prisma/'], pathNot: '^prisma/src/(index|testing)\\.ts$' },
  ),
  rule(
    'core-no-frameworks-or-drivers',
    `core is framework- and driver-free: no Express, Next, React, BullMQ, ioredis, pg or Prisma internals. Its npm packages: ${CORE_PACKAGES.join(', ')}.`,
    { path: '^core/' },
    { path: '(^|/)node_modules/', pathNot: `(^|/)node_modules/${anyOf(CORE_PACKAGES)}/` },
  ),
  rule(
    'adapters-use-core-entry',
    'api, worker, web, infra and bench import core only through its package entry (@unionpoint/core or @unionpoint/core/<module>).',
    { path: ADAPTERS },
    { path: '^core/src/', pathNot: '^core/src/(index|[^/]+/index)\\.ts$' },
  ),
  rule(
    'adapters-import-core-by-package',
    'core is imported by package name, never by a relative path.',
    { path: ADAPTERS },
    { path: '^core/', dependencyTypes: ['local'] },
  ),
  rule(
    'adapters-use-db-entry',
    'The database package is imported through @unionpoint/db (and @unionpoint/db/testing in tests and benches), never by a deep or relative path.',
    { path: ADAPTERS },
    { path: '^prisma/', pathNot: '^prisma/src/(index|testing)\\.ts$' },
  ),
  rule(
    'adapters-import-db-by-package',
    'The database package is imported by package name, never by a relative path.',
    { path: ADAPTERS },
    { path: '^prisma/', dependencyTypes: ['local'] },
  ),
  rule(
    'db-testing-only-in-tests',
    '@unionpoint/db/testing (test databases) is for tests, benches and the e2e server only.',
    { path: '^(api|worker|infra)/(src|scripts)/' },
    { path: '^prisma/src/testing\\.ts$' },
  ),
  rule(
    'web-over-http-only',
    'web talks to the API over HTTP only: it imports neither the database nor core (nor pg, Prisma, BullMQ).',
    { path: '^web/(src|e2e)/' },
    { path: ['^(core|prisma)/', '^@unionpoint/(core|db)', '(^|/)node_modules/(@prisma|prisma|pg|bullmq|ioredis)/'] },
  ),
  rule(
    'worker-not-to-api',
    'The worker does not import the API or web (the API may show the worker’s queues; worker tests may use the API test harness).',
    { path: '^worker/src/' },
    { path: '^(api|web)/' },
  ),
  rule(
    'sdk-stands-alone',
    'The SDK ships to storefronts: its source imports nothing of the workspace (types and the operation table are generated into sdk/src/generated).',
    { path: '^sdk/src/' },
    { path: ['^(core|prisma|api|worker|web|infra|bench)/', '(^|/)node_modules/(?!@types/)'] },
  ),
  rule(
    'db-imports-no-app',
    'The database package imports no application code.',
    { path: '^prisma/' },
    { path: '^(core|api|worker|web|infra|bench)/' },
  ),
];

export default {
  forbidden,
  options: {
    doNotFollow: { path: '(^|/)node_modules/' },
    exclude: { path: ['^prisma/src/generated/', '(^|/)\\.next/', '^infra/test/fixtures/'] },
    tsPreCompilationDeps: true,
    combinedDependencies: false,
    tsConfig: { fileName: 'tsconfig.base.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'node', 'default', 'types'],
      extensions: ['.ts', '.tsx', '.js', '.mjs', '.cjs', '.json', '.d.ts'],
      mainFields: ['module', 'main', 'types', 'typings'],
    },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
