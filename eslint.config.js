import tseslint from 'typescript-eslint';
import { moduleBoundaries } from './scripts/eslint/module-boundaries.js';

const noOnlyOrSkip = { selector: "CallExpression[callee.property.name=/^(only|skip)$/][callee.object.name=/^(it|test|describe)$/]", message: 'Every test must run: no .only or .skip.' };

export default tseslint.config(
  { ignores: ['node_modules/**', 'data/**', 'scratch/**', 'docs/**'] },
  ...tseslint.configs.recommended,
  {
    plugins: { 'common-ground': { rules: { 'module-boundaries': moduleBoundaries } } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-syntax': ['error', noOnlyOrSkip],
    },
  },
  // Other modules are reached through their index.ts only (tests may reach in to set things up).
  { files: ['src/**/*.ts'], ignores: ['src/**/*.test.ts', 'src/**/testing/**'], rules: { 'common-ground/module-boundaries': 'error' } },
  // Services, repositories and policies know nothing of HTTP: they take plain values and throw a Refusal.
  {
    files: ['src/modules/**/*.service.ts', 'src/modules/**/*.repository.ts', 'src/modules/**/*.policy.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [
        { group: ['fastify', '@fastify/*', 'fastify-type-provider-zod'], message: 'Services, repositories and policies do not use Fastify: take plain values, throw a Refusal.' },
        { group: ['**/platform/http/*'], message: 'Services, repositories and policies do not use the HTTP layer: throw a Refusal (src/platform/refusal.ts).' },
      ] }],
    },
  },
  // SQL only in repositories (and the platform's own database code).
  {
    files: ['src/modules/**/*.ts'],
    ignores: ['src/modules/**/*.repository.ts', 'src/modules/**/*.test.ts', 'src/modules/**/testing/**'],
    rules: {
      'no-restricted-syntax': ['error', noOnlyOrSkip, { selector: "CallExpression[callee.property.name='query'][arguments.0.type=/^(Literal|TemplateLiteral|TaggedTemplateExpression)$/]", message: 'SQL lives in *.repository.ts only: add a repository function and call it.' }],
    },
  },
);
