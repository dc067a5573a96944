import { ciRoleName, registryPullRoleArn, registryPullRoleName, SUPPORTING_SERVICES, type TargetInput } from '@platform-kit/config';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluate, readSynthesized } from '../src';
import { decide, PlatformIam, type Request } from './iam-model';
import { removeOutdirs, synth, terraformAvailable, validateStacks, type Json, type Synthesized } from './support';

/*
 * A mixed platform: dev on an existing Kubernetes cluster (the office's, through a kubeconfig context), prod on EKS.
 * dev's only stack installs Argo CD with Helm through the context, and nothing of AWS: no provider, no resource,
 * no zone, CI roles that reach its state and nothing else. prod is the EKS environment it always was.
 */
const OFFICE: TargetInput = {
  kind: 'kubernetes',
  context: 'office',
  apiServer: 'https://k8s.office.example.com:6443',
  storageClass: 'local-path',
  gateway: 'NodePort',
  objectStorage: { endpoint: 'https://minio.office.example.com' },
  serviceAccountIssuer: 'https://oidc.office.example.com/k8s',
};

let s: Synthesized;
beforeAll(() => {
  s = synth(
    {
      environments: ['dev', 'prod'],
      domain: 'acme.example.com',
      dns: { zone: 'create' },
      services: [{ name: 'web', public: true, secretEnv: ['TOKEN'] }],
      supportingServices: [...SUPPORTING_SERVICES, 'velero'],
    },
    { dev: OFFICE },
  );
});
afterAll(removeOutdirs);

const awsIn = (stack: Json) => JSON.stringify(stack).match(/"(aws_[a-z0-9_]+|hashicorp\/aws)"/g) ?? [];

describe('a platform with dev on an existing cluster and prod on EKS', () => {
  it("gives dev only its in-cluster stack and prod its four", () => {
    expect(Object.keys(s.stacks).sort()).toEqual(['bootstrap', 'dev-services', 'prod-cluster', 'prod-network', 'prod-services', 'prod-services-aws', 'shared']);
    expect(Object.keys(s.app.existingClusters)).toEqual(['dev']);
    expect(Object.keys(s.app.environments)).toEqual(['prod']);
  });

  it('installs Argo CD in dev through the kubeconfig context, with no AWS provider, resource or data source', () => {
    const dev = s.stacks['dev-services'];
    expect(dev.provider).toEqual({ helm: [{ kubernetes: { config_context: 'office', config_path: '~/.kube/config' } }] });
    expect(awsIn(dev)).toEqual([]);
    expect(Object.keys(dev.terraform.required_providers)).toEqual(['helm']);
    // Its state stays in the platform's bucket, under its own key.
    expect(dev.terraform.backend.s3.key).toBe('dev-services/terraform.tfstate');
    const credential = Object.values(dev.resource.terraform_data as Record<string, Json>)[0].provisioner[0]['local-exec'].environment;
    expect(credential).toMatchObject({ KUBE_CONTEXT: 'office', NAMESPACE: 'argocd', SECRET_NAME: 'platform-repository' });
    expect(credential).not.toHaveProperty('SECRET_ID');
    const argocd = Object.values(dev.resource.helm_release as Record<string, Json>).find((r) => r.name === 'argo-cd')!;
    const annotations = JSON.parse(argocd.values.at(-1)).configs.clusterCredentials['in-cluster'].annotations;
    expect(annotations).toMatchObject({ environment: 'dev', kube_context: 'office', domain: 'dev.acme.example.com' });
    expect(Object.keys(annotations).filter((k) => k.startsWith('aws_') || k.endsWith('_role_arn') || k.endsWith('_bucket'))).toEqual([]);
  });

  it("keeps prod on EKS (the cluster's endpoint and aws eks get-token) and gives only prod a DNS sub-zone", () => {
    const helm = s.stacks['prod-services'].provider.helm[0].kubernetes;
    expect(helm.exec.args).toEqual(expect.arrayContaining(['eks', 'get-token']));
    const zones = Object.values(s.stacks.shared.resource.aws_route53_zone as Record<string, Json>).map((z) => z.name).sort();
    expect(zones).toEqual(['acme.example.com', 'prod.acme.example.com']);
  });

  it('satisfies every security rule', () => {
    expect(evaluate(readSynthesized(s.outdir))).toEqual([]);
  });

  it.skipIf(!terraformAvailable)('passes terraform validate on every AWS stack', async () => {
    const aws = ['bootstrap', 'shared', 'prod-network', 'prod-cluster', 'prod-services-aws'];
    const reports = await validateStacks(Object.fromEntries(aws.map((stack) => [stack, s.dirs[stack]])));
    for (const [stack, report] of Object.entries(reports)) expect(report, stack).toMatchObject({ valid: true, error_count: 0 });
  }, 120_000);
});

describe("dev's image pulls from ECR, with the web identity of its service account issuer", () => {
  let iam: PlatformIam;
  beforeAll(() => {
    iam = new PlatformIam(s.platform, s.stacks);
  });
  const shared = () => s.stacks.shared;
  const pullRole = () => iam.roleNamed(registryPullRoleName(s.platform, 'dev'));
  const repository = (name: string) => `arn:aws:ecr:${s.platform.aws.region}:${s.platform.aws.accountId}:repository/${name}`;

  it("trusts the issuer's token of dev's ecr-pull service account only, through an OIDC provider for sts.amazonaws.com in shared", () => {
    const providers = Object.values(shared().resource.aws_iam_openid_connect_provider as Record<string, Json>).map((p) => [p.url, p.client_id_list]);
    expect(providers).toContainEqual(['https://oidc.office.example.com/k8s', ['sts.amazonaws.com']]);
    expect(pullRole().trust.Statement).toEqual([
      {
        Effect: 'Allow',
        Action: ['sts:AssumeRoleWithWebIdentity'],
        Principal: { Federated: [`arn:aws:iam::${s.platform.aws.accountId}:oidc-provider/oidc.office.example.com/k8s`] },
        Condition: { StringEquals: { 'oidc.office.example.com/k8s:aud': ['sts.amazonaws.com'], 'oidc.office.example.com/k8s:sub': ['system:serviceaccount:apps:ecr-pull'] } },
      },
    ]);
    expect(shared().output.dev_registry_pull_role_arn).toBeDefined();
    expect(pullRole().arn).toBe(registryPullRoleArn(s.platform, 'dev'));
  });

  it("may pull the platform's images and nothing else: no push, no other repository", async () => {
    const lines = async (requests: Request[]) => Promise.all(requests.map(async (r) => `${r.action} ${r.resource}: ${await decide(iam, pullRole(), r)}`));
    expect(await lines([
      { action: 'ecr:GetAuthorizationToken', resource: '*' },
      { action: 'ecr:BatchGetImage', resource: repository('acme-platform/web') },
      { action: 'ecr:GetDownloadUrlForLayer', resource: repository('acme-platform/web') },
    ])).toEqual([
      'ecr:GetAuthorizationToken *: Allowed',
      `ecr:BatchGetImage ${repository('acme-platform/web')}: Allowed`,
      `ecr:GetDownloadUrlForLayer ${repository('acme-platform/web')}: Allowed`,
    ]);
    for (const line of await lines([
      { action: 'ecr:PutImage', resource: repository('acme-platform/web') },
      { action: 'ecr:BatchGetImage', resource: repository('other/web') },
      { action: 's3:GetObject', resource: `arn:aws:s3:::${s.platform.stateBucket}/dev-services/terraform.tfstate` },
    ]))
      expect(line).not.toMatch(/: Allowed$/);
  });

  it("shared's apply role may manage that provider and role", async () => {
    const apply = iam.roleNamed(ciRoleName(s.platform, 'shared', 'apply'));
    const provider = `arn:aws:iam::${s.platform.aws.accountId}:oidc-provider/oidc.office.example.com/k8s`;
    expect(await decide(iam, apply, { action: 'iam:CreateOpenIDConnectProvider', resource: provider })).toBe('Allowed');
    expect(await decide(iam, apply, { action: 'iam:CreateRole', resource: registryPullRoleArn(s.platform, 'dev') })).toBe('Allowed');
  });
});

describe("dev's CI roles on an existing cluster", () => {
  let iam: PlatformIam;
  beforeAll(() => {
    iam = new PlatformIam(s.platform, s.stacks);
  });
  const state = (key: string) => `arn:aws:s3:::${s.platform.stateBucket}/${key}`;
  const role = (kind: 'plan' | 'apply') => iam.roleNamed(ciRoleName(s.platform, 'dev', kind));
  const decisions = async (kind: 'plan' | 'apply', requests: Request[]) => Promise.all(requests.map(async (r) => `${r.action} ${r.resource}: ${await decide(iam, role(kind), r)}`));

  it("apply writes dev-services' state, and plan only its lock file", async () => {
    expect(await decisions('apply', [{ action: 's3:PutObject', resource: state('dev-services/terraform.tfstate') }])).toEqual([`s3:PutObject ${state('dev-services/terraform.tfstate')}: Allowed`]);
    expect(await decisions('plan', [{ action: 's3:PutObject', resource: state('dev-services/terraform.tfstate.tflock') }])).toEqual([
      `s3:PutObject ${state('dev-services/terraform.tfstate.tflock')}: Allowed`,
    ]);
  });

  it("changes no AWS resource at all, and no other environment's state", async () => {
    const account = s.platform.aws.accountId;
    const region = s.platform.aws.region;
    const requests: Request[] = [
      { action: 'ec2:CreateVpc', resource: `arn:aws:ec2:${region}:${account}:vpc/*`, context: { 'aws:RequestTag/platform': s.platform.name, 'aws:RequestTag/environment': 'dev' } },
      { action: 'eks:CreateCluster', resource: '*' },
      { action: 'secretsmanager:CreateSecret', resource: `arn:aws:secretsmanager:${region}:${account}:secret:${s.platform.name}/dev/x-AbCdEf` },
      { action: 's3:CreateBucket', resource: `arn:aws:s3:::${s.platform.name}-dev-loki-${account}` },
      { action: 'iam:CreateRole', resource: `arn:aws:iam::${account}:role/${s.platform.name}-dev-x` },
      { action: 's3:PutObject', resource: state('prod-services/terraform.tfstate') },
    ];
    for (const line of await decisions('apply', requests)) expect(line).not.toMatch(/: Allowed$/);
  });
});
