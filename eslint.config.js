// Lint for the TypeScript sources: typescript-eslint's recommended rules, plus the size limits that keep each
// module one job (no file over 200 lines, no function over 60) in the harness, its tests and the bench. The
// fixtures under test/fixtures are data the tests run (labs, scenarios, a pinned .d.ts), not code to split.
// Formatting is Prettier's. An export nothing imports is an error too (scripts/eslint-unused-exports.mjs, from knip's
// project-wide import graph).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import podlab from './scripts/eslint-unused-exports.mjs';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '.tap/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: {
        process: 'readonly',
        console: 'readonly',
        Buffer: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        setInterval: 'readonly',
        clearInterval: 'readonly',
        setImmediate: 'readonly',
        URL: 'readonly',
        TextDecoder: 'readonly',
        AbortController: 'readonly',
        AbortSignal: 'readonly',
        fetch: 'readonly',
        NodeJS: 'readonly',
      },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' },
      ],
    },
  },
  {
    files: [
      'harness/src/**/*.ts',
      'test/**/*.ts',
      'bench/**/*.ts',
      'scenarios/**/*.ts',
      'scripts/*.mjs',
      'cluster/lib/*.mjs',
    ],
    plugins: { podlab },
    rules: { 'podlab/no-unused-exports': 'error' },
  },
  {
    files: ['harness/src/**/*.ts', 'test/**/*.ts', 'bench/**/*.ts'],
    ignores: ['test/fixtures/**'],
    rules: {
      'max-lines': ['error', { max: 200 }],
      'max-lines-per-function': ['error', { max: 60 }],
    },
  },
);
