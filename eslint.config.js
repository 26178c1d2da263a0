// Lint rules, including the import rules of docs/ARCHITECTURE.md, so the layering cannot rot.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const restrict = (patterns) => ({
  'no-restricted-imports': ['error', { patterns }],
});
/** From src/server/modules/<a>/, another module <b> is reachable only as ../<b>/index.js. */
const moduleBoundary = {
  regex: '^\\.\\./[a-z][a-z0-9-]*/(?!index\\.js$).+',
  message: 'reach another module only through its index.ts.',
};

export default tseslint.config(
  {
    ignores: [
      'node_modules/**',
      'dist/**',
      'web/dist/**',
      'data/**',
      'coverage/**',
      '.tmp/**',
      'bench/.data/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        projectService: { allowDefaultProject: ['*.js', '*.mjs', 'scripts/*.mjs', 'bin/*.js'] },
      },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      eqeqeq: ['error', 'always'],
      'no-console': 'error',
    },
  },
  {
    // Tests read untyped JSON answers; the unsafe-any family would only add casts there.
    files: ['**/*.test.ts', 'test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } },
    rules: { ...tseslint.configs.disableTypeChecked.rules, 'no-console': 'off' },
  },
  // contracts: imports nothing of ours
  {
    files: ['src/contracts/**/*.ts'],
    rules: restrict([{ group: ['../*', '../../*'], message: 'contracts imports nothing of ours.' }]),
  },
  // backup engine: a library; only contracts
  {
    files: ['src/backup/**/*.ts'],
    rules: restrict([
      {
        group: ['**/server/**', '**/cli/**', '**/agent/**', '**/web/**'],
        message: 'backup is a library: it imports only contracts.',
      },
    ]),
  },
  // agent and cli reach the server over HTTP only (cli may use server/db for migrate and bootstrap)
  {
    files: ['src/agent/**/*.ts'],
    rules: restrict([
      { group: ['**/server/**', '**/cli/**'], message: 'the agent reaches the server only over HTTP.' },
    ]),
  },
  {
    files: ['src/cli/**/*.ts'],
    rules: restrict([
      {
        group: ['**/server/modules/**', '**/server/platform/**'],
        message:
          'the CLI reaches the server over HTTP; it may use server/config, server/main (start) and server/admin (migrate, bootstrap, audit verify).',
      },
    ]),
  },
  // web: only contracts
  {
    files: ['web/**/*.{ts,tsx}'],
    rules: restrict([
      {
        group: ['**/src/server/**', '**/src/cli/**', '**/src/backup/**'],
        message: 'web reaches the server over HTTP only.',
      },
    ]),
  },
  // routes never touch the database; services never import Fastify; modules meet through index.ts
  {
    files: ['src/server/modules/**/*.routes.ts'],
    rules: restrict([
      {
        group: ['**/db/**', 'kysely', '**/*.repository.js'],
        message: 'routes never touch the database: call a service.',
      },
      moduleBoundary,
    ]),
  },
  {
    files: ['src/server/modules/**/*.service.ts', 'src/server/modules/**/*.policy.ts'],
    rules: restrict([
      { group: ['fastify', '@fastify/*'], message: 'services never import Fastify.' },
      moduleBoundary,
    ]),
  },
  {
    files: ['src/server/modules/**/*.repository.ts'],
    rules: restrict([
      { group: ['fastify', '@fastify/*'], message: 'repositories never import Fastify.' },
      moduleBoundary,
    ]),
  },
);
