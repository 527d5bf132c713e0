// Lint for the whole repository: ESLint's and typescript-eslint's recommended rules, and the
// React hooks rules (with the React Compiler's checks) for the console. `npm test` runs it
// before the tests; `npm run lint` runs it alone.
import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import {defineConfig} from 'eslint/config';
import tseslint from 'typescript-eslint';

export default defineConfig([
  {ignores: ['dist/', 'node_modules/']},
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    rules: {
      // A terminal program matches and strips control characters (escape sequences, C0
      // codes) on purpose: source/console/text.ts and the console tests do exactly that.
      'no-control-regex': 'off',
      // `const {key: _, ...rest} = o` is how the code drops a key from a copy; the rest is used.
      '@typescript-eslint/no-unused-vars': ['error', {ignoreRestSiblings: true}],
    },
  },
  {
    files: ['source/console/**/*.{ts,tsx}'],
    extends: [reactHooks.configs.flat.recommended],
    // The plugin only warns about dependency lists by default; a stale closure is a bug here.
    rules: {'react-hooks/exhaustive-deps': 'error'},
  },
  {
    // SQL and transactions live in source/store only (README.md, "Layout"): elsewhere
    // the database is a handle passed to the store's API.
    files: ['source/**/*.{ts,tsx}'],
    ignores: ['source/store/**'],
    rules: {'no-restricted-imports': ['error', {paths: [{name: 'better-sqlite3', message: 'only source/store speaks to the database'}]}]},
  },
  {
    // bin/stacky.js is the one plain-JavaScript file: a Node ESM script.
    files: ['**/*.js'],
    languageOptions: {globals: {process: 'readonly', console: 'readonly', URL: 'readonly'}},
  },
]);
