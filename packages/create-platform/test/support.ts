import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TargetInput } from '@platform-kit/config';
import { listFiles } from '../src';

/**
 * An existing cluster with every answer the wizard asks about it: node ports, object storage, Vault. The wizard test
 * answers it through a pseudo-terminal, the questions test resolves it.
 */
export const OFFICE_CLUSTER = {
  kind: 'kubernetes',
  context: 'office',
  gateway: 'NodePort',
  objectStorage: { endpoint: 'https://minio.office.example.com:9000' },
  secrets: 'vault',
  vault: { server: 'https://vault.office.example.com:8200' },
} as const satisfies TargetInput;

/** A new empty directory under the system's temporary folder. */
export const tempDir = (prefix: string) => mkdtempSync(join(tmpdir(), `${prefix}-`));

/** Every file of a directory with its content: two repos are the same repo when these are equal. */
export const tree = (dir: string) => Object.fromEntries(listFiles(dir).map((f) => [f, readFileSync(join(dir, f), 'utf8')]));
