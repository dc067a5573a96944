import { ARGOCD_NAMESPACE, POSTGRES_CLUSTER, VELERO_SCHEDULE, resolvePlatform, selectableSupportingServiceNames, type SupportingServiceName } from '@platform-kit/config';
import { PlatformApp } from '@platform-kit/constructs';
import { helmValuesFiles, PlatformProject } from '@platform-kit/projen';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { synthSnapshot } from 'projen/lib/util/synth';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { validateManifest } from './k8s-schemas';

/*
 * The generated docs/disaster-recovery.md: its drills name what the generated repo creates. The drill cluster is a
 * valid CloudNativePG Cluster that reads the ObjectStore the cluster chart makes; the buckets, roles and clusters its
 * commands name are the ones the stacks synthesize; the Velero schedule is the chart's name for the values' one.
 */

const answers = {
  name: 'acme',
  domain: 'acme.io',
  environments: ['dev', 'prod'],
  supportingServices: selectableSupportingServiceNames() as SupportingServiceName[],
};
const platform = resolvePlatform(answers);
const outdirs: string[] = [];
afterAll(() => outdirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
const tmp = () => {
  const dir = mkdtempSync(join(tmpdir(), 'pk-dr-'));
  outdirs.push(dir);
  return dir;
};

const doc = String(synthSnapshot(new PlatformProject({ answers, outdir: tmp() }))['docs/disaster-recovery.md']);

/** What the stacks create: every synthesized resource of a type, by its `name` or `bucket` attribute. */
function synthesizedResources(): (type: string, attribute: string) => Set<string> {
  const outdir = tmp();
  const files = new Map(helmValuesFiles(platform).map((f) => [`${f.environment}/${f.release}`, f.contents]));
  new PlatformApp(platform, { outdir, helmValues: (e, r) => [files.get(`${e.name}/${r}`)!] }).synth();
  const stacks = readdirSync(join(outdir, 'stacks')).map((stack) => JSON.parse(readFileSync(join(outdir, 'stacks', stack, 'cdk.tf.json'), 'utf8')));
  return (type, attribute) => new Set(stacks.flatMap((json) => (Object.values(json.resource?.[type] ?? {}) as Record<string, string>[]).map((r) => r[attribute])));
}

describe('docs/disaster-recovery.md', () => {
  it('restores PostgreSQL into a drill Cluster that validates against the CloudNativePG schema and reads the chart\'s ObjectStore', () => {
    const block = /```yaml\n([\s\S]*?)```/.exec(doc)![1].replace(/^ {3}/gm, '');
    const cluster = parse(block);
    expect(validateManifest(cluster)).toEqual([]);
    const values = parse(helmValuesFiles(platform).find((f) => f.release === 'postgresql')!.contents);
    // The cluster chart names its ObjectStore <fullname>-backups (templates/backup-objectstore.yaml at cluster-v0.8.1).
    expect(values.fullnameOverride).toBe(POSTGRES_CLUSTER);
    expect(cluster.spec.externalClusters[0].plugin.parameters).toEqual({ barmanObjectName: `${POSTGRES_CLUSTER}-backups`, serverName: POSTGRES_CLUSTER });
    expect(cluster.spec.plugins).toBeUndefined(); // no WAL archiver: a drill never writes into the backups
  });

  it('names the buckets, roles and clusters the stacks create', () => {
    const synthesized = synthesizedResources();
    const buckets = synthesized('aws_s3_bucket', 'bucket');
    const roles = synthesized('aws_iam_role', 'name');
    const clusters = synthesized('aws_eks_cluster', 'name');
    const named = (re: RegExp) => [...doc.matchAll(re)].map((m) => m[1]);
    const bucketNames = named(/`(acme-[a-z]+-(?:backup|velero)-\d{12})`/g);
    const roleNames = named(/--role-name (\S+)/g);
    const clusterNames = named(/--cluster-name (acme-[a-z]+)/g);
    expect(bucketNames.length).toBe(4);
    expect(roleNames.length).toBe(2);
    for (const b of bucketNames) expect(buckets.has(b), b).toBe(true);
    for (const r of roleNames) expect(roles.has(r), r).toBe(true);
    for (const c of clusterNames) expect(clusters.has(c), c).toBe(true);
  });

  it("names the Velero schedule and Argo CD's application controller as the charts name them", () => {
    const velero = parse(helmValuesFiles(platform).find((f) => f.release === 'velero')!.contents);
    expect(Object.keys(velero.schedules).map((key) => `velero-${key}`)).toEqual([VELERO_SCHEDULE]);
    expect(doc).toContain(`schedule \`${VELERO_SCHEDULE}\``);
    // The argo-cd release `argo-cd` with the chart's nameOverride `argocd`: argo-cd-argocd-<component> (docs/gitops.md's server too).
    expect(doc).toContain(`kubectl -n ${ARGOCD_NAMESPACE} scale statefulset argo-cd-argocd-application-controller`);
  });

  it('says what is not backed up without Velero', () => {
    const withoutVelero = String(synthSnapshot(new PlatformProject({ answers: { ...answers, supportingServices: ['postgresql', 'cert-manager', 'prometheus'] }, outdir: tmp() }))['docs/disaster-recovery.md']);
    expect(withoutVelero).toContain('**Without Velero**');
    expect(withoutVelero).not.toContain('velero -n velero');
  });
});
