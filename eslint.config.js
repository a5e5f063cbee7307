// Lint for the whole repo. Module boundaries are rules here, not conventions:
// - a core module imports another only through its index.ts (shared/ is the exception);
// - core never imports api, worker, web, or a framework (Express, Next, BullMQ, Redis);
// - web never imports the database package.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

export default tseslint.config(
  {
    ignores: ['**/node_modules/**', '**/.next/**', '**/dist/**', 'prisma/src/generated/**', '.data/**', '**/next-env.d.ts', 'web/playwright-report/**', 'web/test-results/**'],
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
);
