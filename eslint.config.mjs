// ESLint for the kit's TypeScript (npm run lint): the recommended rules of ESLint and typescript-eslint.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['**/lib/**', '**/node_modules/**', 'dist/**', 'packages/projen/templates/**', '**/*.d.ts', '**/*.js'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    // Tests walk synthesized JSON (Terraform, workflows, values files): loosely typed on purpose.
    files: ['**/test/**/*.ts', 'test/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
);
