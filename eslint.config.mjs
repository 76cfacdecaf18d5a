import js from '@eslint/js';
import tseslint from 'typescript-eslint';

// The import direction of ARCHITECTURE.md: core → aws → plumbing → features → extension.ts.
// Type-only imports of the SDK and of the lazy bundle are fine anywhere: they vanish from the build.
const sdk = { group: ['@aws-sdk/*', '@smithy/*', '**/aws/*', '!**/aws/load'], allowTypeImports: true, message: 'The SDK loads lazily: reach it through context.aws (src/aws/load.ts).' };
const restrict = (options) => ({ 'no-restricted-imports': ['error', options] });

export default tseslint.config(
  { ignores: ['out*/**', 'dist/**', 'node_modules/**', 'test/support/fake-aws-vault/**'] },
  js.configs.recommended,
  ...tseslint.configs.strict,
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['src/core/**/*.ts'],
    rules: restrict({
      paths: [{ name: 'vscode', message: 'src/core stays free of the VS Code API.' }],
      patterns: [{ group: ['**/plumbing/**', '**/features/**', '**/aws/**', '**/extension'], message: 'src/core imports nothing from the layers above it.' }],
    }),
  },
  {
    // The jumpbox agent runs in AWS Lambda: the pure and SDK code of core, never the extension's.
    files: ['agent/**/*.ts'],
    rules: restrict({
      paths: [{ name: 'vscode', message: 'The agent runs in AWS Lambda, without VS Code.' }],
      patterns: [{ group: ['**/plumbing/**', '**/features/**', '**/aws/**', '**/extension'], message: 'The agent imports only src/core.' }],
    }),
  },
  {
    files: ['src/plumbing/**/*.ts'],
    rules: restrict({ patterns: [{ group: ['**/features/**', '**/extension'], message: 'Plumbing knows no capability.' }, sdk] }),
  },
  {
    files: ['src/features/**/*.ts'],
    rules: restrict({
      patterns: [
        { regex: '^\\.\\./(?!\\.\\./)', message: "A capability imports only its own files, plumbing and core: capabilities meet through FeatureDeps." },
        { group: ['**/extension'], message: 'Features do not import the composition root.' },
        sdk,
      ],
    }),
  },
  {
    files: ['src/extension.ts'],
    rules: restrict({ patterns: [sdk] }),
  },
  {
    files: ['**/*.mjs'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', fetch: 'readonly' } },
  },
);
