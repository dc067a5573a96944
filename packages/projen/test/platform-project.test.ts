import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AnswersError, resolvePlatform, stackNames, type AnswersInput } from '@platform-kit/config';
import { loadPlatform } from '@platform-kit/constructs';
import { synthSnapshot } from 'projen/lib/util/synth';
import ts from 'typescript';
import { afterAll, describe, expect, it } from 'vitest';
import { KIT_PACKAGES, KIT_VERSION, PlatformProject, renderProjenrc, tarballName, toTypeScript, type PlatformProjectOptions } from '../src';

/*
 * The whole generated repo of a PlatformProject: a snapshot of every file, then explicit checks of what the
 * repo's tooling depends on (pins, tasks, cdktf.json, platform.json, .projenrc.ts, docs and scripts).
 */

const ANSWERS: AnswersInput = {
  name: 'acme-platform',
  services: ['api', 'worker'],
  environments: ['dev', 'prod'],
};

const outdirs: string[] = [];
afterAll(() => {
  for (const dir of outdirs) rmSync(dir, { recursive: true, force: true });
});

/** A fresh temp dir: projen in test mode would otherwise write into (and then delete) the cwd. */
function freshOutdir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'pp-'));
  outdirs.push(dir);
  return dir;
}

function project(options: Omit<PlatformProjectOptions, 'outdir'>): PlatformProject {
  return new PlatformProject({ ...options, outdir: freshOutdir() });
}

/** Every generated file: path -> content (JSON files parsed). synthSnapshot deletes the outdir afterwards. */
function generate(options: Omit<PlatformProjectOptions, 'outdir'> = { answers: ANSWERS }): Record<string, any> {
  return synthSnapshot(project(options));
}

/** Syntax diagnostics of a TypeScript source, as text (empty: it parses). */
function syntaxErrors(source: string): string[] {
  const { diagnostics = [] } = ts.transpileModule(source, {
    reportDiagnostics: true,
    fileName: '.projenrc.ts',
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, strict: true },
  });
  return diagnostics.map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
}

/**
 * Runs a generated .projenrc.ts with a stand-in PlatformProject and returns what it was given: proves the
 * file is executable TypeScript whose options mean the same as the answers it was rendered from.
 */
function runProjenrc(source: string): { options: any; synthCalls: number; imports: string[] } {
  const { outputText } = ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 } });
  const result = { options: undefined as any, synthCalls: 0, imports: [] as string[] };
  class FakePlatformProject {
    constructor(options: unknown) {
      result.options = options;
    }
    synth() {
      result.synthCalls++;
    }
  }
  const fakeRequire = (id: string) => {
    result.imports.push(id);
    if (id !== '@platform-kit/projen') throw new Error(`.projenrc.ts imports ${id}`);
    return { PlatformProject: FakePlatformProject };
  };
  const module = { exports: {} };
  new Function('require', 'module', 'exports', outputText)(fakeRequire, module, module.exports);
  return result;
}

describe('PlatformProject: the generated repo', () => {
  const outdir = freshOutdir();
  const files = synthSnapshot(new PlatformProject({ answers: ANSWERS, outdir }));

  it('matches the snapshot', () => {
    expect(files).toMatchSnapshot();
  });

  it('writes the expected set of files', () => {
    expect(Object.keys(files)).toEqual(
      expect.arrayContaining([
        '.projenrc.ts',
        'package.json',
        '.projen/tasks.json',
        '.projen/deps.json',
        'cdktf.json',
        'platform/platform.json',
        'src/main.ts',
        'README.md',
        'docs/bootstrap.md',
        'docs/deploy.md',
        'scripts/bootstrap-state.sh',
        'tsconfig.json',
        '.gitignore',
      ]),
    );
  });

  it('docs/deploy.md lists every stack in apply order, with the CI roles of every scope', () => {
    const deploy = files['docs/deploy.md'] as string;
    const rows = [...deploy.matchAll(/^\| (\d+) \| `([^`]+)` \|/gm)].map((m) => m[2]);
    expect(rows).toEqual(stackNames(resolvePlatform(ANSWERS)));
    for (const scope of ['shared', 'dev', 'prod'])
      for (const kind of ['plan', 'apply']) expect(deploy).toContain(`arn:aws:iam::123456789012:role/acme-platform/ci/acme-platform-${scope}-${kind}`);
  });

  it('never mentions the directory it was generated in (the snapshot is stable)', () => {
    expect(JSON.stringify(files)).not.toContain(outdir);
  });

  describe('package.json', () => {
    const pkg = files['package.json'];

    it('is the private package of the platform', () => {
      expect(pkg.name).toBe('acme-platform');
      expect(pkg.private).toBe(true);
    });

    it('pins @platform-kit/constructs (dependency) to exactly the kit version', () => {
      expect(pkg.dependencies['@platform-kit/constructs']).toBe(KIT_VERSION);
      expect(KIT_VERSION).toMatch(/^\d+\.\d+\.\d+/);
    });

    it('pins @platform-kit/projen and @platform-kit/config (devDependencies) to exactly the kit version', () => {
      expect(pkg.devDependencies['@platform-kit/projen']).toBe(KIT_VERSION);
      expect(pkg.devDependencies['@platform-kit/config']).toBe(KIT_VERSION);
    });

    it('lists every kit package once, and no kit package as both a dependency and a devDependency', () => {
      const all = [...Object.keys(pkg.dependencies ?? {}), ...Object.keys(pkg.devDependencies ?? {})].filter((d) => d.startsWith('@platform-kit/'));
      expect(all.sort()).toEqual([...KIT_PACKAGES].sort());
    });

    it('has scripts for the synth and bootstrap tasks', () => {
      expect(pkg.scripts).toMatchObject({ synth: 'projen synth', bootstrap: 'projen bootstrap' });
    });
  });

  describe('.projen/tasks.json', () => {
    const { tasks } = files['.projen/tasks.json'];

    it('has a synth task: scripts/synth.sh cleans cdktf.out, runs tsx src/main.ts and prints a one-line summary', () => {
      expect(tasks.synth.steps).toEqual([{ exec: 'bash scripts/synth.sh' }]);
      const script: string = files['scripts/synth.sh'];
      expect(script.indexOf('rm -rf cdktf.out')).toBeLessThan(script.indexOf('tsx src/main.ts'));
      expect(script).toContain('echo "Synthesized $stacks stacks into cdktf.out/stacks in');
    });

    it('test checks the platform (synth, policy, terraform validate where installed); build runs it; no eject', () => {
      expect(tasks.test.steps[0]).toEqual({ spawn: 'policy' });
      expect(tasks.test.steps[1].exec).toContain('bash scripts/terraform-stack.sh validate');
      expect(tasks.test.steps[1].exec).toContain('terraform is not installed');
      expect(tasks.build.steps).toEqual(expect.arrayContaining([{ spawn: 'default' }, { spawn: 'compile' }, { spawn: 'test' }]));
      expect(tasks).not.toHaveProperty('eject');
    });

    it('has a bootstrap task that synthesizes then runs scripts/bootstrap-state.sh', () => {
      expect(tasks.bootstrap.steps).toEqual([{ spawn: 'synth' }, { exec: 'bash scripts/bootstrap-state.sh' }]);
    });
  });

  it('cdktf.json runs src/main.ts with tsx and writes cdktf.out, with no projen marker (cdktf rejects unknown keys)', () => {
    expect(files['cdktf.json']).toMatchObject({ language: 'typescript', app: 'npx tsx src/main.ts', output: 'cdktf.out' });
    expect(files['cdktf.json']).not.toHaveProperty('//');
  });

  it('platform/platform.json is the resolved platform plus projen\'s "//" marker', () => {
    expect(files['platform/platform.json']).toEqual({ ...resolvePlatform(ANSWERS), '//': expect.stringContaining('Generated by projen') });
  });

  describe('.projenrc.ts', () => {
    const source: string = files['.projenrc.ts'];

    it('creates a PlatformProject from the answers and synthesizes it', () => {
      expect(source).toContain("import { PlatformProject } from '@platform-kit/projen';");
      expect(source).toContain('new PlatformProject(');
      expect(source).toContain('name: "acme-platform"');
      expect(source).toContain('project.synth();');
      expect(source).not.toContain('kitSource');
    });

    it('is valid TypeScript', () => {
      expect(syntaxErrors(source)).toEqual([]);
    });

    it('passes exactly the answers to PlatformProject when run', () => {
      const run = runProjenrc(source);
      expect(run.imports).toEqual(['@platform-kit/projen']);
      expect(run.options).toEqual({ answers: ANSWERS });
      expect(run.synthCalls).toBe(1);
    });
  });

  it('src/main.ts builds the PlatformApp from @platform-kit/constructs and platform/platform.json', () => {
    const main: string = files['src/main.ts'];
    expect(main).toMatch(/import \{[^}]*\bPlatformApp\b[^}]*\} from '@platform-kit\/constructs';/);
    expect(main).toContain("loadPlatform('platform/platform.json')");
    expect(main).toContain('app.synth();');
    expect(syntaxErrors(main)).toEqual([]);
  });

  it('docs/bootstrap.md and scripts/bootstrap-state.sh name the state bucket, region and account', () => {
    const { stateBucket } = resolvePlatform(ANSWERS);
    expect(stateBucket).toBe('acme-platform-tfstate-123456789012');
    for (const file of ['docs/bootstrap.md', 'scripts/bootstrap-state.sh']) {
      expect(files[file], file).toContain(stateBucket);
      expect(files[file], file).toContain('123456789012');
    }
    expect(files['scripts/bootstrap-state.sh']).toContain(`bucket='${stateBucket}'`);
    expect(files['scripts/bootstrap-state.sh']).toContain("region='eu-west-1'");
    expect(files['scripts/bootstrap-state.sh'].startsWith('#!/usr/bin/env bash\n')).toBe(true);
  });

  it('README.md names the platform, its environments and services', () => {
    const readme: string = files['README.md'];
    expect(readme).toContain('# acme-platform');
    expect(readme).toContain('dev (non-production), prod (production)');
    expect(readme).toContain('api, worker');
  });

  it('git-ignores Terraform output and state', () => {
    const gitignore: string = files['.gitignore'];
    for (const entry of ['cdktf.out/', '.terraform/', '*.tfstate']) expect(gitignore.split('\n')).toContain(entry);
  });
});

describe('PlatformProject with kitSource', () => {
  const files = generate({ answers: ANSWERS, kitSource: '/some/dir' });
  const pkg = files['package.json'];
  const tarball = (name: string) => `file:/some/dir/platform-kit-${name}-${KIT_VERSION}.tgz`;

  it('installs every kit package from its tarball in the folder', () => {
    expect(pkg.dependencies['@platform-kit/constructs']).toBe(tarball('constructs'));
    expect(pkg.devDependencies['@platform-kit/projen']).toBe(tarball('projen'));
    expect(pkg.devDependencies['@platform-kit/config']).toBe(tarball('config'));
    expect(tarball('config')).toBe(`file:/some/dir/${tarballName('@platform-kit/config')}`);
  });

  it('records the kitSource in .projenrc.ts, which still runs', () => {
    const source: string = files['.projenrc.ts'];
    expect(source).toContain('kitSource: "/some/dir"');
    expect(syntaxErrors(source)).toEqual([]);
    expect(runProjenrc(source).options).toEqual({ answers: ANSWERS, kitSource: '/some/dir' });
  });
});

describe('PlatformProject on disk', () => {
  it('writes an executable bootstrap script and a platform.json that loadPlatform reads back as the platform', () => {
    const outdir = freshOutdir();
    const previous = process.env.PROJEN_DISABLE_POST;
    process.env.PROJEN_DISABLE_POST = 'true'; // no npm install
    try {
      const p = new PlatformProject({ answers: ANSWERS, outdir });
      p.synth();
      expect(statSync(join(outdir, 'scripts/bootstrap-state.sh')).mode & 0o111).not.toBe(0);
      expect(loadPlatform(join(outdir, 'platform/platform.json'))).toEqual(p.platform);
      expect(p.platform).toEqual(resolvePlatform(ANSWERS));
      expect(readFileSync(join(outdir, '.projenrc.ts'), 'utf8')).toContain('new PlatformProject(');
    } finally {
      if (previous === undefined) delete process.env.PROJEN_DISABLE_POST;
      else process.env.PROJEN_DISABLE_POST = previous;
    }
  });
});

describe('PlatformProject with invalid answers', () => {
  it('throws an AnswersError naming the field', () => {
    let error: unknown;
    try {
      project({ answers: { name: 'Bad Name' } });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(AnswersError);
    expect((error as AnswersError).issues.map((i) => i.field)).toEqual(['name']);
    expect((error as Error).message).toMatch(/✖ name: "Bad Name" is not valid/);
  });

  it('lists every bad field at once', () => {
    expect(() => project({ answers: { name: 'Bad Name', aws: { accountId: '42' }, environments: [] } })).toThrow(
      /name:[\s\S]*aws\.accountId:[\s\S]*environments:/,
    );
  });
});

describe('toTypeScript', () => {
  /** Evaluates a TypeScript value expression (after checking it parses). */
  const evaluate = (source: string) => {
    expect(syntaxErrors(`const value = ${source};`)).toEqual([]);
    return new Function(`return (${source});`)();
  };

  const VALUES: [string, unknown][] = [
    ['the answers of the snapshot', ANSWERS],
    [
      'every answer field',
      {
        name: 'globex',
        aws: { region: 'us-east-1', accountId: '210987654321' },
        environments: ['dev', { name: 'prod', tier: 'production', vpcCidr: '10.20.0.0/16', nodes: { instanceTypes: ['m7i.large'], minSize: 3 } }],
        services: ['api', { name: 'order-worker', language: 'go', port: 9000 }],
        supportingServices: ['cert-manager'],
        domain: 'globex.example.com',
        certificateEmail: 'ops@globex.example.com',
        github: { owner: 'globex', repository: 'infra' },
        kubernetesVersion: '1.35',
        tags: { owner: 'platform-team', 'cost-center': 'cc-1', 'team:area': 'infra/core', 'with space': 'a b', _x: '$y' },
        stateBucket: 'globex-terraform-state',
      },
    ],
    ['empty collections', { services: [], tags: {} }],
    ['tricky strings', { a: 'quote " and backslash \\', b: 'key-like "x": 1', c: 'line\nbreak\ttab', d: 'unicode é ✓ \u2028', e: '${not interpolated}' }],
    ['scalars', { n: 0, f: 1.5, neg: -3, t: true, nil: null }],
    ['a plain string', '/some/dir'],
    ['keys that must stay quoted', { '1abc': 1, 'a-b': 2, 'a.b': 3, '': 4, $ok: 5, _ok: 6 }],
  ];

  it.each(VALUES)('round-trips %s', (_label, value) => {
    expect(evaluate(toTypeScript(value))).toEqual(value);
    expect(evaluate(toTypeScript(value, 4))).toEqual(value);
  });

  it('unquotes identifier keys and quotes the others', () => {
    const source = toTypeScript({ name: 'x', 'cost-center': 'y', nested: { $id: 1 } });
    expect(source).toContain('name: "x"');
    expect(source).toContain('"cost-center": "y"');
    expect(source).toContain('$id: 1');
    expect(source).not.toContain('"name"');
  });

  it('indents every line after the first', () => {
    expect(toTypeScript({ a: [1] }, 2)).toBe('{\n    a: [\n      1\n    ]\n  }');
  });
});

describe('renderProjenrc', () => {
  it.each<[string, AnswersInput]>([
    ['the snapshot answers', ANSWERS],
    ['defaults only', {}],
    [
      'objects and tags',
      {
        name: 'hooli',
        aws: { region: 'ap-southeast-2', accountId: '444455556666' },
        environments: [{ name: 'dev', vpcCidr: '10.100.0.0/16' }, 'prod'],
        services: [{ name: 'api', port: 3000, language: 'node' }],
        tags: { 'cost-center': 'cc-9' },
        stateBucket: 'hooli-state',
      },
    ],
  ])('round-trips %s through a runnable .projenrc.ts', (_label, answers) => {
    const source = renderProjenrc(answers);
    expect(syntaxErrors(source)).toEqual([]);
    const run = runProjenrc(source);
    expect(run.options).toEqual({ answers });
    // Same meaning, not just the same shape: it resolves to the same platform.
    expect(resolvePlatform(run.options.answers)).toEqual(resolvePlatform(answers));
    expect(run.synthCalls).toBe(1);
  });

  it('adds kitSource only when given', () => {
    expect(renderProjenrc(ANSWERS)).not.toContain('kitSource');
    const run = runProjenrc(renderProjenrc(ANSWERS, '/tmp/kit tarballs/"quoted"'));
    expect(run.options).toEqual({ answers: ANSWERS, kitSource: '/tmp/kit tarballs/"quoted"' });
  });
});
