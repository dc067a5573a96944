import {
  catalogue,
  clusterName,
  clusterTarget,
  ecrRepositoryName,
  environmentDomain,
  githubConnectionName,
  hasDnsZone,
  environmentStackName,
  stateKeyAlias,
  supportingPlan,
  type Environment,
  type EnvironmentStackKind,
} from '@platform-kit/config';
import { tmpdir } from 'node:os';
import { App, Fn, TerraformOutput, TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import { CiAccess } from './ci-access';
import { ClientVpn } from './client-vpn';
import { CiRunner } from './ci-runner';
import { EncryptionKey } from './encryption-key';
import { Cluster, type ClusterAccess } from './cluster';
import { Network } from './network';
import { PlatformDns } from './dns';
import { EnvironmentBudget, PlatformCostGuardrails } from './budgets';
import { GitopsBootstrap, type HelmValuesSource } from './gitops-bootstrap';
import { PlatformStack, type PlatformStackProps } from './platform-stack';
import { RegistryPullAccess } from './registry-pull';
import { ServiceRegistry } from './service-registry';
import { StateBucket } from './state-bucket';
import { SupportingServicesAws } from './supporting-services-aws';
import { CodestarconnectionsConnection, EbsEncryptionByDefault } from './providers/aws';
import { HelmProvider } from './providers/helm';

const outputName = (name: string) => name.replace(/-/g, '_');

/**
 * `bootstrap`: the state bucket every other stack keeps its state in. It is applied first on local state;
 * the bootstrap task then migrates its own state into the bucket (see docs/bootstrap.md of a platform repo).
 */
export class BootstrapStack extends PlatformStack {
  readonly stateBucket: StateBucket;

  constructor(scope: Construct, id: string, props: PlatformStackProps) {
    super(scope, id, props);
    this.stateBucket = new StateBucket(this, 'state', { bucketName: props.platform.stateBucket, keyAlias: stateKeyAlias(props.platform) });
    new TerraformOutput(this, 'state_bucket', { value: this.stateBucket.bucket.bucket });
    new TerraformOutput(this, 'state_key_arn', { value: this.stateBucket.key.arn });
  }
}

/**
 * `shared`: account-level resources every environment uses: one ECR repository per service, GitHub Actions'
 * OIDC access (plan and apply roles per environment), each environment's permissions boundary, EBS encryption by
 * default for the region, the platform's DNS zones and its budget.
 */
export class SharedStack extends PlatformStack {
  readonly registries: Record<string, ServiceRegistry> = {};
  /** Encrypts the images of every registry (absent without services). */
  readonly registryKey?: EncryptionKey;
  readonly ci: CiAccess;
  /** The account's connection to GitHub, for the CI runners. */
  readonly githubConnection: CodestarconnectionsConnection;
  /** The platform's Route 53 zones (absent with `dns.zone: none`). */
  readonly dns?: PlatformDns;
  /** The platform's budget, and the cost allocation tags and anomaly detection when answered. */
  readonly cost: PlatformCostGuardrails;
  /** ECR pulls of the environments on existing clusters whose service account issuer AWS trusts. */
  readonly registryPull: RegistryPullAccess;

  constructor(scope: Construct, id: string, props: PlatformStackProps) {
    super(scope, id, props);
    const { platform } = props;
    if (platform.services.length)
      this.registryKey = new EncryptionKey(this, 'registry-key', {
        alias: `alias/${platform.name}-ecr`,
        description: `Encrypts the service images of ${platform.name} in ECR`,
        accountId: platform.aws.accountId,
        region: platform.aws.region,
      });
    for (const service of platform.services) {
      const registry = new ServiceRegistry(this, `registry-${service.name}`, { repositoryName: ecrRepositoryName(platform, service), kmsKeyArn: this.registryKey!.arn });
      this.registries[service.name] = registry;
      new TerraformOutput(this, `${outputName(service.name)}_repository_url`, { value: registry.repository.repositoryUrl });
    }
    if (hasDnsZone(platform)) {
      this.dns = new PlatformDns(this, 'dns', { platform });
      // What the registrar of the domain delegates to (docs/dns.md of a platform repo).
      if (this.dns.zone) new TerraformOutput(this, 'zone_name_servers', { value: this.dns.zone.nameServers });
      for (const [env, zone] of Object.entries(this.dns.environmentZones)) new TerraformOutput(this, `${outputName(env)}_zone_id`, { value: zone.zoneId });
    }
    this.ci = new CiAccess(this, 'ci', {
      platform: props.platform,
      dnsZoneArns: Object.fromEntries(Object.entries(this.dns?.environmentZones ?? {}).map(([env, zone]) => [env, zone.arn])),
    });
    for (const [scope, roles] of Object.entries(this.ci.roles)) {
      new TerraformOutput(this, `${outputName(scope)}_plan_role_arn`, { value: roles.plan.arn });
      new TerraformOutput(this, `${outputName(scope)}_apply_role_arn`, { value: roles.apply.arn });
    }
    // Every EBS volume created in the region is encrypted, whoever creates it (nodes, persistent volumes).
    new EbsEncryptionByDefault(this, 'ebs-encryption', { enabled: true });
    // The environments' CI runners (CodeBuild) hear of GitHub's jobs over this connection. AWS creates it pending:
    // a person approves it once in the console (docs/ci.md); until then no runner is created.
    this.githubConnection = new CodestarconnectionsConnection(this, 'github-connection', { name: githubConnectionName(platform), providerType: 'GitHub' });
    new TerraformOutput(this, 'github_connection_arn', { value: this.githubConnection.arn });
    this.cost = new PlatformCostGuardrails(this, 'cost', { platform });
    this.registryPull = new RegistryPullAccess(this, 'registry-pull', { platform, permissionsBoundary: this.ci.ciBoundary.arn });
    for (const [env, role] of Object.entries(this.registryPull.roles)) new TerraformOutput(this, `${outputName(env)}_registry_pull_role_arn`, { value: role.role.arn });
  }
}

export interface EnvironmentStackProps extends PlatformStackProps {
  readonly environment: Environment;
}

/** A stack of one environment, `<env>-<kind>`: its resources carry the `environment` tag. */
export abstract class EnvironmentStack extends PlatformStack {
  constructor(scope: Construct, kind: EnvironmentStackKind, props: EnvironmentStackProps) {
    super(scope, environmentStackName(props.environment, kind), { ...props, tags: { ...props.tags, environment: props.environment.name } });
  }
}

export interface NetworkStackProps extends EnvironmentStackProps {
  readonly shared: SharedStack;
}

/** `<env>-network`: the environment's VPC, and its cost budget. */
export class NetworkStack extends EnvironmentStack {
  readonly network: Network;
  readonly budget: EnvironmentBudget;

  constructor(scope: Construct, props: NetworkStackProps) {
    super(scope, 'network', props);
    this.network = new Network(this, 'network', {
      platform: props.platform,
      environment: props.environment,
      permissionsBoundary: props.shared.ci.boundaries[props.environment.name].arn,
      clusterName: clusterName(props.platform, props.environment),
    });
    new TerraformOutput(this, 'vpc_id', { value: this.network.vpc.id });
    this.budget = new EnvironmentBudget(this, 'cost', { platform: props.platform, environment: props.environment });
  }
}

export interface ClusterStackProps extends NetworkStackProps {
  readonly network: Network;
}

/** `<env>-cluster`: the environment's EKS cluster, in the network stack's subnets, and its Client VPN when answered. */
export class ClusterStack extends EnvironmentStack {
  readonly cluster: Cluster;
  readonly vpn?: ClientVpn;

  constructor(scope: Construct, props: ClusterStackProps) {
    super(scope, 'cluster', props);
    const { platform, environment, network, shared } = props;
    const ciRoles = shared.ci.roles[environment.name];
    const access: Record<string, ClusterAccess> = {
      'ci-apply': { principalArn: ciRoles.apply.arn, level: 'admin' },
      // Plans of pull requests: read without Secrets (nothing a plan runs needs the cluster's secrets).
      'ci-plan': { principalArn: ciRoles.plan.arn, level: 'view' },
    };
    for (const arn of platform.aws.adminRoleArns) {
      // Keyed by role name, so that reordering the answers does not replace entries; a clash gets a suffix.
      const base = `admin-${arn.split('/').pop()!.toLowerCase()}`;
      let key = base;
      for (let n = 2; key in access; n++) key = `${base}-${n}`;
      access[key] = { principalArn: arn, level: 'admin' };
    }
    this.cluster = new Cluster(this, 'eks', {
      platform,
      environment,
      name: clusterName(platform, environment),
      permissionsBoundary: shared.ci.boundaries[environment.name].arn,
      controlPlaneSubnetIds: network.intraSubnets.map((s) => s.id),
      nodeSubnets: network.zones.map((z) => ({ zoneId: z.zoneId, subnetId: z.private.id })),
      access,
    });
    new TerraformOutput(this, 'cluster_name', { value: this.cluster.cluster.name });
    new TerraformOutput(this, 'cluster_endpoint', { value: this.cluster.cluster.endpoint });
    new TerraformOutput(this, 'cluster_certificate_authority', { value: this.cluster.cluster.certificateAuthority.get(0).data });
    if (environment.vpn) {
      this.vpn = new ClientVpn(this, 'vpn', {
        platform,
        environment,
        vpcId: network.vpc.id,
        privateSubnetIds: network.privateSubnets.map((s) => s.id),
        clusterSecurityGroupId: this.cluster.cluster.vpcConfig.clusterSecurityGroupId,
        logKeyArn: this.cluster.key.arn,
      });
      // What `aws ec2 export-client-vpn-client-configuration` needs (docs/vpn.md of a platform repo).
      new TerraformOutput(this, 'vpn_endpoint_id', { value: this.vpn.endpoint.id });
    }
  }
}

export interface ServicesAwsStackProps extends EnvironmentStackProps {
  readonly shared: SharedStack;
  readonly network: Network;
  readonly cluster: Cluster;
}

/**
 * `<env>-services-aws`: what the supporting services need from AWS (buckets, Pod Identity roles, generated
 * secrets). AWS only, so that it plans and validates without reaching the cluster.
 */
export class ServicesAwsStack extends EnvironmentStack {
  readonly resources: SupportingServicesAws;
  readonly runner: CiRunner;

  constructor(scope: Construct, props: ServicesAwsStackProps) {
    super(scope, 'services-aws', props);
    const { platform, environment } = props;
    this.resources = new SupportingServicesAws(this, 'services', {
      platform,
      environment,
      plan: supportingPlan(platform, environment),
      clusterName: props.cluster.cluster.name,
      permissionsBoundary: props.shared.ci.boundaries[environment.name].arn,
      dnsZoneArn: props.shared.dns?.environmentZones[environment.name].arn,
    });
    for (const [purpose, bucket] of Object.entries(this.resources.buckets)) new TerraformOutput(this, `${purpose}_bucket`, { value: bucket.bucket });
    // The runner CI applies <env>-services from: the cluster's API endpoint is private (docs/ci.md).
    this.runner = new CiRunner(this, 'runner', {
      platform,
      environment,
      connectionArn: props.shared.githubConnection.arn,
      vpcId: props.network.vpc.id,
      subnetIds: props.network.zones.map((z) => z.private.id),
      securityGroupId: props.cluster.cluster.vpcConfig.clusterSecurityGroupId,
      logKeyArn: this.resources.key.arn,
      permissionsBoundary: props.shared.ci.boundaries[environment.name].arn,
    });
  }
}

export interface ServicesStackProps extends EnvironmentStackProps {
  /** On EKS: the cluster its stack creates, and the AWS side of the services (applied first). On an existing cluster: none. */
  readonly eks?: { readonly cluster: Cluster; readonly servicesAws: ServicesAwsStack };
  /** The values of Argo CD's release (by default read from helm/<env>/ by PlatformApp). */
  readonly values: HelmValuesSource;
}

/**
 * `<env>-services`: what Terraform installs inside the environment's cluster, which is only Argo CD, its credential
 * for the platform repo and the root ApplicationSet (GitopsBootstrap); Argo CD installs the rest from gitops/<env>/.
 * Helm reaches the cluster with the endpoint and CA from the cluster stack and a token from `aws eks get-token`, so
 * it acts as whoever runs Terraform (the environment's apply role in CI).
 */
export class ServicesStack extends EnvironmentStack {
  readonly gitops: GitopsBootstrap;

  constructor(scope: Construct, props: ServicesStackProps) {
    const access = clusterTarget(props.platform, props.environment).access;
    // On an existing cluster the stack has no AWS resource, so no AWS provider (its state is in the platform's bucket).
    super(scope, 'services', { ...props, aws: access.kind === 'eks' });
    const { platform, environment } = props;
    this.addOverride('terraform.required_providers.helm.version', catalogue.providers.helm.version);
    if (access.kind === 'kubeconfig') {
      // Helm reaches the cluster as the kubeconfig context says, with whoever's credentials it holds (CI's, a person's).
      new HelmProvider(this, 'helm', { kubernetes: { configPath: KUBECONFIG, configContext: access.context } });
      this.gitops = new GitopsBootstrap(this, 'gitops', {
        platform,
        environment,
        access: { kind: 'kubeconfig', context: access.context },
        values: props.values,
        annotations: { domain: environmentDomain(platform, environment), kube_context: access.context },
      });
      return;
    }
    if (!props.eks) throw new Error(`${environment.name}-services: an EKS environment needs its cluster and services-aws stacks (props.eks).`);
    const { cluster, servicesAws } = props.eks;
    const name = clusterName(platform, environment);
    new HelmProvider(this, 'helm', {
      kubernetes: {
        host: cluster.cluster.endpoint,
        clusterCaCertificate: Fn.base64decode(cluster.cluster.certificateAuthority.get(0).data),
        exec: {
          apiVersion: 'client.authentication.k8s.io/v1beta1',
          command: 'aws',
          args: ['eks', 'get-token', '--cluster-name', name, '--region', platform.aws.region, '--output', 'json'],
        },
      },
    });
    // Argo CD's deploy key and External Secrets' role come from the services-aws stack: it is applied first.
    this.addDependency(servicesAws);
    const aws = servicesAws.resources;
    this.gitops = new GitopsBootstrap(this, 'gitops', {
      platform,
      environment,
      access: { kind: 'eks', clusterName: cluster.cluster.name, repositoryCredentialArn: aws.repositoryCredential.arn },
      values: props.values,
      annotations: {
        domain: environmentDomain(platform, environment),
        external_secrets_role_arn: aws.secretReader.arn,
        ...Object.fromEntries(Object.entries(aws.buckets).map(([purpose, bucket]) => [`${purpose}_bucket`, bucket.bucket])),
        ...Object.fromEntries(Object.entries(aws.roles).map(([id, role]) => [`${id.replace(/-/g, '_')}_role_arn`, role.arn])),
      },
    });
    forgetHelmReleases(this);
  }
}

/** Where the Helm provider reads an existing cluster's kubeconfig: the default file (CI for such environments is to come: docs/targets.md). */
export const KUBECONFIG = '~/.kube/config';

/**
 * Before Argo CD, `<env>-services` installed the cluster autoscaler, the supporting services and the platform chart
 * as Terraform Helm releases; Argo CD now installs them. `removed` blocks make Terraform forget those releases
 * without uninstalling them, so that Argo CD adopts the running workloads (same release names and namespaces):
 * nothing is deleted, no volume or database is recreated (docs/gitops.md of a platform repo). A platform that never
 * had them is not affected: a `removed` block for an address not in the state does nothing.
 */
/** The supporting services' releases that kits before Argo CD installed with Terraform: a fixed list of the past. */
const TERRAFORM_SUPPORTING_RELEASES = ['prometheus', 'cert-manager', 'cnpg-operator', 'barman-cloud', 'postgresql', 'redis', 'nginx', 'loki', 'alloy', 'grafana', 'hydra', 'keto', 'kratos', 'oathkeeper'];

export function forgetHelmReleases(stack: TerraformStack): void {
  // cdktf's own logical ids for those paths, computed on placeholders in a throwaway app of the same stack name, so
  // that nothing is added to the real stack.
  const scratch = new TerraformStack(new App({ outdir: tmpdir(), skipValidation: true }), stack.node.id);
  const former = (type: string, path: string[]) =>
    `${type}.${scratch.getLogicalId(path.reduce<Construct>((parent, id) => (parent.node.tryFindChild(id) as Construct) ?? new Construct(parent, id), scratch).node)}`;
  const releases = [['cluster-autoscaler', 'release'], ['supporting', 'platform-base'], ['supporting', 'platform-routing'], ...TERRAFORM_SUPPORTING_RELEASES.map((r) => ['supporting', r])];
  stack.addOverride('removed', [
    ...releases.map((path) => ({ from: former('helm_release', path), lifecycle: { destroy: false } })),
    { from: former('terraform_data', ['supporting', 'gateway-api-crds']), lifecycle: { destroy: false } },
  ]);
}
