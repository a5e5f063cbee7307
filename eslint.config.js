// Lint for the whole repo. Module boundaries are rules here, not conventions:
// - a core module imports another only through its index.ts (shared/ is the exception);
// - core never imports api, worker, web, or a framework (Express, Next, BullMQ, Redis);
// - web never imports the database package;
// - the worker holds no SQL and composes no ledger/outbox/audit writes (use cases do, in core);
// - core is wired explicitly: no import side effects, no module-level hook registries.
// The module graph itself (layers, cycles, deep paths, packages) is checked by dependency-cruiser
// (.dependency-cruiser.mjs); `npm run lint` runs both. infra/test/boundaries.test.ts proves the
// rules report what they should.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

/** The steps a use case composes (ledger, outbox, audit, the member lock): not for the worker. */
const WRITE_PRIMITIVES = {
  '@unionpoint/core/points': ['creditPoints', 'creditPointsSql', 'debitPoints'],
  '@unionpoint/core/growth': ['changeGrowth', 'changeGrowthSql'],
  '@unionpoint/core/webhooks': ['emitEvent', 'emitEvents'],
  '@unionpoint/core/audit': ['recordAudit'],
  '@unionpoint/core/identities': ['lockMember'],
};
/**
 * Named restrictions, each a set of `no-restricted-syntax` selectors (and `no-restricted-imports`
 * paths) for the files under `dir`. Messages start with the restriction's name. The monthly-bonus
 * catch-up in worker/src/handlers/ledger.ts (month arithmetic deciding what to grant) is a rule in
 * the worker that no restriction can see; it moves into core with the keep-tier gift.
 */
export const RESTRICTIONS = {
  'worker-no-sql': {
    dir: 'worker/src/',
    syntax: [
      ["MemberExpression[object.name='Prisma'][property.name=/^(sql|raw|join|empty)$/]", 'Prisma.sql and friends belong in core'],
      ['MemberExpression[property.name=/^\\$(queryRaw|executeRaw)/]', '$queryRaw/$executeRaw belong in core'],
      ["TaggedTemplateExpression[tag.name='sql']", 'SQL belongs in core'],
      ["CallExpression[callee.property.name='query'][arguments.0.type=/^(Literal|TemplateLiteral)$/]", 'pool.query belongs in core'],
    ],
    imports: [
      { name: '@unionpoint/db', importNames: ['Prisma', 'queryBatch', 'deferStatement'], message: 'SQL belongs in core: call a core use case.' },
      { name: 'pg', message: 'SQL belongs in core: call a core use case.' },
    ],
    why: 'the worker schedules and calls core use cases; it reads and writes no table itself',
  },
  'worker-calls-use-cases': {
    dir: 'worker/src/',
    syntax: Object.entries(WRITE_PRIMITIVES).map(([mod, names]) => [
      `ImportDeclaration[source.value='${mod}'] ImportSpecifier[imported.name=/^(${names.join('|')})$/]`,
      `${names.join('/')} are steps of a use case: call (or add) the core use case that composes them`,
    ]),
    why: 'crediting points, emitting events and auditing together is a use case, and use cases live in core',
  },
  'core-explicit-wiring': {
    dir: 'core/src/',
    syntax: [
      // (zod's OpenAPI extension, in shared/zod.ts, is the one library set-up at import)
      ["Program > ExpressionStatement:not([expression.callee.name='extendZodWithOpenApi'])", 'no side effects at import: wire behaviour by an explicit call'],
      [
        ':matches(Program, Program > ExportNamedDeclaration) > VariableDeclaration > VariableDeclarator[init.type="ArrayExpression"][init.elements.length=0]',
        'no module-level hook registry: call the other module directly (or from the composition root)',
      ],
    ],
    why: 'a process that imports only one module must behave the same as one that imports them all',
  },
};

/**
 * TEMPORARY ALLOWLIST — known violations while a file is being reworked; empty today. Each
 * entry exempts one file from the named restrictions. Delete an entry as soon as its file is
 * fixed (infra/test/boundaries.test.ts fails while an entry is stale); never add one for new code.
 */
export const TEMPORARY_ALLOWLIST = {};

/** ESLint rule settings for a file under `dir`, less the restrictions it is exempt from. */
function restrictionRules(dir, exempt = []) {
  const active = Object.entries(RESTRICTIONS).filter(([name, r]) => r.dir === dir && !exempt.includes(name));
  const syntax = active.flatMap(([name, r]) => r.syntax.map(([selector, message]) => ({ selector, message: `[${name}] ${message} (${r.why}).` })));
  const imports = active.flatMap(([, r]) => r.imports ?? []);
  return {
    'no-restricted-syntax': syntax.length ? ['error', ...syntax] : 'off',
    ...(dir === 'worker/src/' ? { 'no-restricted-imports': imports.length ? ['error', { paths: imports }] : 'off' } : {}),
  };
}
const restrictionBlocks = [...new Set(Object.values(RESTRICTIONS).map((r) => r.dir))].flatMap((dir) => [
  { files: [`${dir}**/*.ts`], ignores: ['**/*.test.ts', '**/*.cli.ts'], rules: restrictionRules(dir) },
  ...Object.entries(TEMPORARY_ALLOWLIST)
    .filter(([file]) => file.startsWith(dir))
    .map(([file, exempt]) => ({ files: [file], rules: restrictionRules(dir, exempt) })),
]);

export default tseslint.config(
  {
    ignores: ['infra/test/fixtures/**', '**/node_modules/**', '**/.next/**', '**/dist/**', 'prisma/src/generated/**', '.data/**', '**/next-env.d.ts', 'web/playwright-report/**', 'web/test-results/**'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  { languageOptions: { globals: { ...globals.node } } },
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      '@typescript-eslint/no-explicit-any': 'error',
      'no-console': 'off',
    },
  },
  {
    files: ['core/src/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: ['express', 'next', 'bullmq', 'ioredis', 'react'].map((name) => ({ name, message: 'core/ is framework-free' })),
          patterns: [
            { group: ['@unionpoint/api', '@unionpoint/api/*', '@unionpoint/worker', '@unionpoint/worker/*', '@unionpoint/web', '@unionpoint/web/*'], message: 'core/ never imports api, worker or web' },
            { regex: '^\\.\\./(?!shared/)[^/]+/(?!index\\.ts$)[^/]+$', message: "Import another module only through its index.ts" },
            { regex: '^\\.\\./\\.\\./', message: 'Stay inside core/src' },
          ],
        },
      ],
    },
  },
  {
    // Thin adapters: routes parse, call a core use case and respond; worker jobs call one. SQL,
    // row locks and transaction primitives belong to the use cases in core/.
    files: ['worker/src/**/*.ts', 'api/src/routes/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-properties': [
        'error',
        ...['$queryRaw', '$executeRaw', '$queryRawUnsafe', '$executeRawUnsafe'].map((property) => ({ property, message: 'No SQL here: call a core use case' })),
      ],
      'no-restricted-syntax': [
        'error',
        { selector: "CallExpression[callee.property.name='query'][callee.object.property.name='pool']", message: 'No SQL here: call a core use case' },
        { selector: "Property[key.name='forUpdate']", message: 'The member lock is taken inside the use case: pass the member reference' },
      ],
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: '@unionpoint/db', importNames: ['Prisma', 'queryBatch', 'deferStatement'], message: 'No SQL here: call a core use case' },
            { name: '@unionpoint/core/identities', importNames: ['lockMember', 'lockTargetMember'], message: 'The member lock is taken inside the use case' },
          ],
        },
      ],
    },
  },
  {
    files: ['web/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['@unionpoint/db', '@unionpoint/db/*', '@prisma/*', '@unionpoint/core', '@unionpoint/core/*'], message: 'web/ talks to the API over HTTP only' }] },
      ],
    },
  },
  ...restrictionBlocks,
);
