import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { defineConfig } from 'vitest/config';

// Tests run the TypeScript sources: map each kit package to its src/ so no build is needed for unit tests.
const pkg = (dir: string) => resolve(import.meta.dirname, 'packages', dir, 'src/index.ts');

export default defineConfig({
  resolve: {
    alias: {
      '@platform-kit/config': pkg('config'),
      '@platform-kit/constructs': pkg('constructs'),
      '@platform-kit/projen': pkg('projen'),
    },
  },
  test: {
    // @actions/workflow-parser imports JSON without an import attribute, which Node rejects: let vite bundle it.
    server: { deps: { inline: ['@actions/workflow-parser', '@actions/expressions'] } },
    include: ['packages/*/test/**/*.test.ts', 'test/**/*.test.ts'],
    // A directory the end-to-end tests share their one installed platform repo in (test/installed-repo.ts).
    globalSetup: ['test/global-setup.ts'],
    // Vitest's default is one worker fewer than the cores: a single worker on a 2-core machine, where the end-to-end
    // and Terraform tests then wait on npm and terraform one after the other. One worker per core keeps both busy.
    maxWorkers: Math.max(2, availableParallelism()),
    testTimeout: 30_000,
    hookTimeout: 600_000,
  },
});
