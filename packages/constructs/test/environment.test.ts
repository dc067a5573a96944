import { catalogue, ciRoleName, clusterName, EKS_ADDONS, imagesRoleName, platformReleases, subnetPlan, type AnswersInput } from '@platform-kit/config';
import { helmValuesFiles } from '@platform-kit/projen';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { documentStatements, only, ref, removeOutdirs, resources, synth, type Json } from './support';

/*
 * The stacks of each environment (`<env>-network`, `<env>-cluster`) and the CI access of `shared`, read from
 * the synthesized JSON: what the answers change, and the secure defaults that must not change.
 */

afterAll(removeOutdirs);

const bodies = (stack: Json, type: string) => resources(stack, type).map(([, r]) => r);

describe('<env>-network', () => {
  const { platform, stacks } = synth({});
  const dev = platform.environments[0];
  const prod = platform.environments[2];

  it('has a VPC with the environment CIDR and DNS support', () => {
    const [, vpc] = only(stacks['dev-network'], 'aws_vpc');
    expect(vpc).toMatchObject({ cidr_block: dev.vpcCidr, enable_dns_hostnames: true, enable_dns_support: true });
  });

  it('lays out the subnets of subnetPlan(), placed by zone ID (never by a zone name, which differs per account)', () => {
    const subnets = bodies(stacks['dev-network'], 'aws_subnet');
    const plan = subnetPlan(dev);
    expect(plan.map((z) => z.zoneId)).toEqual(['euw1-az1', 'euw1-az2', 'euw1-az3']);
    for (const zone of plan)
      for (const tier of ['public', 'private', 'intra'] as const)
        expect(subnets).toContainEqual(expect.objectContaining({ availability_zone_id: zone.zoneId, cidr_block: zone[tier] }));
    expect(subnets).toHaveLength(9);
    for (const subnet of subnets) expect(subnet).not.toHaveProperty('availability_zone');
  });

  it('tags public subnets for internet-facing and private subnets for internal load balancers', () => {
    const subnets = bodies(stacks['dev-network'], 'aws_subnet');
    const tagged = (tag: string) => subnets.filter((s) => s.tags[tag] === '1').map((s) => s.tags.Name);
    expect(tagged('kubernetes.io/role/elb')).toEqual(['acme-platform-dev-public-az1', 'acme-platform-dev-public-az2', 'acme-platform-dev-public-az3']);
    expect(tagged('kubernetes.io/role/internal-elb').sort()).toEqual(['acme-platform-dev-private-az1', 'acme-platform-dev-private-az2', 'acme-platform-dev-private-az3']);
    for (const s of subnets) expect(s.map_public_ip_on_launch ?? false).toBe(false);
  });

  it('routes private subnets through NAT, public through the internet gateway, intra nowhere', () => {
    const tables = resources(stacks['dev-network'], 'aws_route_table');
    const routesTo = (key: string) => tables.filter(([, t]) => t.route.some((r: Json) => r[key])).length;
    expect(routesTo('gateway_id')).toBe(1);
    expect(routesTo('nat_gateway_id')).toBe(3);
    const associated = bodies(stacks['dev-network'], 'aws_route_table_association').map((a) => a.subnet_id);
    const intra = resources(stacks['dev-network'], 'aws_subnet').filter(([, s]) => s.tags.Name.includes('-intra-'));
    for (const [id] of intra) expect(associated).not.toContain(ref('aws_subnet', id, 'id'));
  });

  it('uses one NAT gateway for a non-production environment and one per zone for production', () => {
    expect(resources(stacks['dev-network'], 'aws_nat_gateway')).toHaveLength(1);
    expect(resources(stacks['staging-network'], 'aws_nat_gateway')).toHaveLength(1);
    expect(prod.natGateways).toBe('per-az');
    expect(resources(stacks['prod-network'], 'aws_nat_gateway')).toHaveLength(3);
    expect(resources(stacks['prod-network'], 'aws_eip')).toHaveLength(3);
  });

  it('follows an explicit NAT strategy and zone count', () => {
    const { stacks: custom } = synth({ environments: [{ name: 'dev', natGateways: 'per-az', availabilityZones: 2 }] });
    expect(resources(custom['dev-network'], 'aws_nat_gateway')).toHaveLength(2);
    expect(resources(custom['dev-network'], 'aws_subnet')).toHaveLength(6);
  });

  it('empties the default security group', () => {
    const [, sg] = only(stacks['dev-network'], 'aws_default_security_group');
    expect(sg.ingress).toBeUndefined();
    expect(sg.egress).toBeUndefined();
  });

  it('records all traffic in flow logs kept and aggregated per tier, encrypted with its own key', () => {
    for (const [name, days, seconds] of [['dev-network', 7, 600], ['prod-network', 90, 60]] as const) {
      const stack = stacks[name];
      const [logId, group] = only(stack, 'aws_cloudwatch_log_group');
      const [keyId] = only(stack, 'aws_kms_key');
      expect(group).toMatchObject({ retention_in_days: days, kms_key_id: ref('aws_kms_key', keyId, 'arn') });
      const [, flowLog] = only(stack, 'aws_flow_log');
      expect(flowLog).toMatchObject({
        traffic_type: 'ALL',
        log_destination_type: 'cloud-watch-logs',
        log_destination: ref('aws_cloudwatch_log_group', logId, 'arn'),
        max_aggregation_interval: seconds,
      });
    }
  });

  it('sends S3 traffic of the private subnets through a free gateway endpoint; interface endpoints only when answered', () => {
    const [, s3] = only(stacks['dev-network'], 'aws_vpc_endpoint');
    expect(s3).toMatchObject({ service_name: 'com.amazonaws.eu-west-1.s3', vpc_endpoint_type: 'Gateway' });
    const privateTables = resources(stacks['dev-network'], 'aws_route_table').filter(([, t]) => t.tags.Name.includes('-private-'));
    expect(s3.route_table_ids).toEqual(privateTables.map(([id]) => ref('aws_route_table', id, 'id')));
    const { stacks: withEndpoints } = synth({ environments: [{ name: 'dev', interfaceEndpoints: true }] });
    const endpoints = bodies(withEndpoints['dev-network'], 'aws_vpc_endpoint');
    expect(endpoints.map((e) => e.service_name).sort()).toEqual(['ecr.api', 'ecr.dkr', 's3', 'sts'].map((svc) => `com.amazonaws.eu-west-1.${svc}`));
    for (const e of endpoints.filter((x) => !x.service_name.endsWith('.s3'))) expect(e).toMatchObject({ vpc_endpoint_type: 'Interface', private_dns_enabled: true, subnet_ids: expect.arrayContaining([expect.stringContaining('private-az')]) });
    const [, https] = only(withEndpoints['dev-network'], 'aws_vpc_security_group_ingress_rule');
    expect(https).toMatchObject({ cidr_ipv4: '10.10.0.0/16', ip_protocol: 'tcp', from_port: 443, to_port: 443 });
  });

  it('lets CloudWatch Logs use the key only for its own log group', () => {
    const stack = stacks['dev-network'];
    const [, key] = only(stack, 'aws_kms_key');
    const logs = documentStatements(stack, key.policy).find((s) => s.principals[0].type === 'Service')!;
    expect(logs.condition).toEqual([
      { test: 'ArnLike', variable: 'kms:EncryptionContext:aws:logs:arn', values: ['arn:aws:logs:eu-west-1:123456789012:log-group:/platform/acme-platform-dev/vpc-flow-logs'] },
    ]);
  });
});

describe('<env>-cluster', () => {
  const { platform, stacks } = synth({
    aws: { adminRoleArns: ['arn:aws:iam::123456789012:role/PlatformAdmin'] },
    environments: ['dev', { name: 'prod', clusterPublicAccessCidrs: ['203.0.113.0/24'] }],
  });
  const dev = stacks['dev-cluster'];
  const [clusterId, cluster] = only(dev, 'aws_eks_cluster');

  it('runs the catalogue Kubernetes version under the environment cluster name, in standard support', () => {
    expect(cluster).toMatchObject({ name: clusterName(platform, 'dev'), version: catalogue.kubernetes.default, upgrade_policy: { support_type: 'STANDARD' } });
  });

  it('places the control plane in the intra subnets of the network stack (a cross-stack reference)', () => {
    expect(cluster.vpc_config.subnet_ids).toHaveLength(3);
    for (const id of cluster.vpc_config.subnet_ids)
      expect(id).toMatch(/^\$\{data\.terraform_remote_state\.cross-stack-reference-input-dev-network\.outputs\.cross-stack-output-aws_subnetnetwork_intra-az[123]_\w+id\}$/);
  });

  it('keeps the endpoint private unless public CIDRs are answered', () => {
    expect(cluster.vpc_config).toMatchObject({ endpoint_private_access: true, endpoint_public_access: false });
    expect(cluster.vpc_config.public_access_cidrs).toBeUndefined();
    const [, prod] = only(stacks['prod-cluster'], 'aws_eks_cluster');
    expect(prod.vpc_config).toMatchObject({ endpoint_private_access: true, endpoint_public_access: true, public_access_cidrs: ['203.0.113.0/24'] });
  });

  it('encrypts secrets with a rotating key and sends api, audit and authenticator logs to an encrypted log group', () => {
    const [keyId, key] = resources(dev, 'aws_kms_key').find(([id]) => id.startsWith('eks_key_'))!;
    expect(key.enable_key_rotation).toBe(true);
    expect(cluster.encryption_config).toEqual({ resources: ['secrets'], provider: { key_arn: ref('aws_kms_key', keyId, 'arn') } });
    expect(cluster.enabled_cluster_log_types).toEqual(['api', 'audit', 'authenticator']);
    const [logId, group] = resources(dev, 'aws_cloudwatch_log_group').find(([, g]) => g.name === '/aws/eks/acme-platform-dev/cluster')!;
    expect(group).toMatchObject({ retention_in_days: 30, kms_key_id: ref('aws_kms_key', keyId, 'arn') });
    expect(cluster.depends_on).toContain(`aws_cloudwatch_log_group.${logId}`);
  });

  it('authenticates with access entries only: the CI roles from the shared stack and the answered admins', () => {
    expect(cluster.access_config).toEqual({ authentication_mode: 'API', bootstrap_cluster_creator_admin_permissions: false });
    const entries = bodies(dev, 'aws_eks_access_entry').map((e) => e.principal_arn);
    expect(entries).toContain('arn:aws:iam::123456789012:role/PlatformAdmin');
    const fromShared = entries.filter((e) => e.includes('cross-stack-reference-input-shared'));
    expect(fromShared).toHaveLength(2);
    const policies = bodies(dev, 'aws_eks_access_policy_association').map((a) => a.policy_arn.split('/').pop()).sort();
    // The plan role may read the cluster, never its Secrets (AmazonEKSViewPolicy, not AmazonEKSAdminViewPolicy).
    expect(policies).toEqual(['AmazonEKSClusterAdminPolicy', 'AmazonEKSClusterAdminPolicy', 'AmazonEKSViewPolicy']);
    for (const a of bodies(dev, 'aws_eks_access_policy_association')) expect(a.access_scope).toEqual({ type: 'cluster' });
  });

  it('launches nodes from a template with IMDSv2 only, hop limit 1 and a gp3 root volume encrypted with the cluster volume key', () => {
    const [templateId, template] = only(dev, 'aws_launch_template');
    expect(template.metadata_options).toEqual({ http_endpoint: 'enabled', http_tokens: 'required', http_put_response_hop_limit: 1 });
    const [volumeKeyId, volumeKey] = resources(dev, 'aws_kms_key').find(([id]) => id.startsWith('eks_volume-key_'))!;
    expect(template.block_device_mappings).toEqual([
      { device_name: '/dev/xvda', ebs: { volume_size: 50, volume_type: 'gp3', encrypted: 'true', kms_key_id: ref('aws_kms_key', volumeKeyId, 'arn'), delete_on_termination: 'true' } },
    ]);
    // Managed node groups launch through the Auto Scaling service-linked role: the key lets only it (and IAM) use it.
    const launchers = documentStatements(dev, volumeKey.policy).filter((st) => st.sid?.startsWith('Launchers'));
    expect(launchers.map((st) => st.sid)).toEqual(['LaunchersEncryptVolumes', 'LaunchersAttachVolumes']);
    for (const st of launchers)
      expect(st.condition).toContainEqual({
        test: 'ArnEquals',
        variable: 'aws:PrincipalArn',
        values: ['arn:aws:iam::123456789012:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling'],
      });
    expect(launchers[1].condition).toContainEqual({ test: 'Bool', variable: 'kms:GrantIsForAWSResource', values: ['true'] });
    // Instances and volumes launched by the node group carry the platform's tags (default tags do not reach them).
    for (const spec of template.tag_specifications)
      expect(spec.tags).toEqual({ platform: 'acme-platform', 'managed-by': 'platform-kit', environment: 'dev', Name: 'acme-platform-dev-node' });
    for (const [, group] of resources(dev, 'aws_eks_node_group'))
      expect(group.launch_template).toEqual({ id: ref('aws_launch_template', templateId, 'id'), version: ref('aws_launch_template', templateId, 'latest_version') });
  });

  it('runs one node group per zone, in that zone\'s private subnet, sized from the answers: spot in dev, on-demand in prod', () => {
    const devGroups = bodies(dev, 'aws_eks_node_group');
    expect(devGroups.map((g) => g.node_group_name_prefix)).toEqual(['euw1-az1-', 'euw1-az2-', 'euw1-az3-']);
    devGroups.forEach((group, i) => {
      expect(group).toMatchObject({
        ami_type: 'AL2023_x86_64_STANDARD',
        capacity_type: 'SPOT',
        instance_types: ['t3.large', 't3a.large', 'm6i.large', 'm7i.large'],
        update_config: { max_unavailable: 1 },
        labels: { 'platform-kit/node-group': 'default', 'platform-kit/capacity-type': 'spot' },
        lifecycle: { ignore_changes: ['scaling_config[0].desired_size'], create_before_destroy: true },
      });
      expect(group.subnet_ids).toEqual([expect.stringContaining(`private-az${i + 1}_`)]);
    });
    // dev: minSize 1, desiredSize 2, maxSize 5 over three zones.
    expect(devGroups.map((g) => g.scaling_config)).toEqual([
      { min_size: 1, desired_size: 1, max_size: 2 },
      { min_size: 0, desired_size: 1, max_size: 2 },
      { min_size: 0, desired_size: 0, max_size: 1 },
    ]);
    const prodGroups = bodies(stacks['prod-cluster'], 'aws_eks_node_group');
    for (const group of prodGroups) expect(group).toMatchObject({ capacity_type: 'ON_DEMAND', instance_types: ['m7i.large', 'm6i.large'] });
    // prod: 3, 3, 10 over three zones: a node in every zone, always.
    expect(prodGroups.map((g) => g.scaling_config)).toEqual([
      { min_size: 1, desired_size: 1, max_size: 4 },
      { min_size: 1, desired_size: 1, max_size: 3 },
      { min_size: 1, desired_size: 1, max_size: 3 },
    ]);
  });

  it('installs the core add-ons at the catalogue versions: networking before nodes, the rest after', () => {
    const addons = Object.fromEntries(resources(dev, 'aws_eks_addon').map(([id, a]) => [a.addon_name, { id, ...a }]));
    expect(Object.keys(addons).sort()).toEqual([...EKS_ADDONS].sort());
    for (const name of EKS_ADDONS) {
      expect(addons[name].addon_version).toBe(catalogue.kubernetes.addons['1.35'][name]);
      expect(addons[name].cluster_name).toBe(ref('aws_eks_cluster', clusterId, 'name'));
    }
    const groups = resources(dev, 'aws_eks_node_group');
    for (const [, group] of groups)
      for (const before of ['vpc-cni', 'kube-proxy', 'eks-pod-identity-agent']) expect(group.depends_on).toContain(`aws_eks_addon.${addons[before].id}`);
    for (const after of ['coredns', 'aws-ebs-csi-driver']) expect(addons[after].depends_on).toEqual(groups.map(([id]) => `aws_eks_node_group.${id}`));
  });

  it("turns on the VPC CNI's NetworkPolicy enforcement (the team's services accept only their callers)", () => {
    const cni = bodies(dev, 'aws_eks_addon').find((a) => a.addon_name === 'vpc-cni')!;
    expect(JSON.parse(cni.configuration_values)).toEqual({ enableNetworkPolicy: 'true' });
  });

  it('gives the EBS CSI driver its role through Pod Identity and a default gp3 storage class', () => {
    const ebs = bodies(dev, 'aws_eks_addon').find((a) => a.addon_name === 'aws-ebs-csi-driver')!;
    expect(JSON.parse(ebs.configuration_values)).toEqual({
      defaultStorageClass: { enabled: true },
      // The platform's tags on every volume it creates: the environment's budget counts them.
      controller: { extraVolumeTags: { platform: 'acme-platform', 'managed-by': 'platform-kit', environment: 'dev' } },
    });
    expect(ebs.pod_identity_association).toEqual([{ role_arn: expect.stringMatching(/^\$\{aws_iam_role\.eks_ebs-csi-role/), service_account: 'ebs-csi-controller-sa' }]);
  });

  it('lets the cluster autoscaler scale only this cluster node groups, through Pod Identity', () => {
    const [, association] = only(dev, 'aws_eks_pod_identity_association');
    expect(association).toMatchObject({ namespace: 'kube-system', service_account: 'cluster-autoscaler' });
    const role = resources(dev, 'aws_iam_role').find(([, r]) => r.name === 'acme-platform-dev-cluster-autoscaler')!;
    expect(association.role_arn).toBe(ref('aws_iam_role', role[0], 'arn'));
    expect(documentStatements(dev, role[1].assume_role_policy)[0].principals).toEqual([{ type: 'Service', identifiers: ['pods.eks.amazonaws.com'] }]);
    const [, policy] = resources(dev, 'aws_iam_role_policy').find(([, p]) => p.role === ref('aws_iam_role', role[0], 'name') || p.role === ref('aws_iam_role', role[0], 'id'))!;
    const scale = documentStatements(dev, policy.policy).find((s) => s.actions.includes('autoscaling:SetDesiredCapacity'))!;
    expect(scale.condition).toEqual([{ test: 'StringEquals', variable: 'aws:ResourceTag/k8s.io/cluster-autoscaler/acme-platform-dev', values: ['owned'] }]);
  });

  it('pins add-on versions of the chosen Kubernetes version', () => {
    const { stacks: v136 } = synth({ environments: ['dev'], kubernetesVersion: '1.36' });
    const kubeProxy = bodies(v136['dev-cluster'], 'aws_eks_addon').find((a) => a.addon_name === 'kube-proxy')!;
    expect(kubeProxy.addon_version).toBe(catalogue.kubernetes.addons['1.36']['kube-proxy']);
    expect(only(v136['dev-cluster'], 'aws_eks_cluster')[1].version).toBe('1.36');
  });
});

describe('shared: GitHub Actions access without static keys', () => {
  const answers: AnswersInput = { github: { owner: 'acme', repository: 'platform' }, environments: ['dev', 'prod'] };
  const { platform, stacks } = synth(answers);
  const shared = stacks.shared;
  const roles = Object.fromEntries(resources(shared, 'aws_iam_role').map(([id, r]) => [r.name, { id, ...r }]));
  const trust = (name: string) => documentStatements(shared, roles[name].assume_role_policy);
  const permissions = (name: string) => {
    const policy = bodies(shared, 'aws_iam_role_policy').find((p) => p.role === ref('aws_iam_role', roles[name].id, 'id'))!;
    return documentStatements(shared, policy.policy);
  };

  it('creates the GitHub OIDC provider for sts.amazonaws.com', () => {
    const [, provider] = only(shared, 'aws_iam_openid_connect_provider');
    expect(provider).toMatchObject({ url: 'https://token.actions.githubusercontent.com', client_id_list: ['sts.amazonaws.com'] });
  });

  it('has a plan and an apply role for shared and for each environment, and the images role', () => {
    expect(Object.keys(roles).sort()).toEqual(
      [...['shared', 'dev', 'prod'].flatMap((scope) => [ciRoleName(platform, scope, 'apply'), ciRoleName(platform, scope, 'plan')]), imagesRoleName(platform)].sort(),
    );
  });

  it('the images role: trusted from main and v* tags only, may push to the platform repositories only', () => {
    expect(trust(imagesRoleName(platform))[0].condition).toEqual([
      { test: 'StringEquals', variable: 'token.actions.githubusercontent.com:aud', values: ['sts.amazonaws.com'] },
      { test: 'StringLike', variable: 'token.actions.githubusercontent.com:sub', values: ['repo:acme/platform:ref:refs/heads/main', 'repo:acme/platform:ref:refs/tags/v*'] },
    ]);
    const statements = permissions(imagesRoleName(platform));
    expect(statements.map((s: Json) => s.sid)).toEqual(['LogInToRegistry', 'PushServiceImages']);
    expect(statements[1].resources).toEqual([`arn:aws:ecr:${platform.aws.region}:${platform.aws.accountId}:repository/${platform.name}/*`]);
    expect(statements[1].actions).not.toContain('ecr:*');
    expect(statements[1].actions).toContain('ecr:PutImage');
  });

  it('trusts pull requests and main for the plan role, only the GitHub Environment for the apply role', () => {
    const condition = (statements: Json[]) => statements[0].condition;
    expect(condition(trust('acme-platform-dev-plan'))).toEqual([
      { test: 'StringEquals', variable: 'token.actions.githubusercontent.com:aud', values: ['sts.amazonaws.com'] },
      { test: 'StringEquals', variable: 'token.actions.githubusercontent.com:sub', values: ['repo:acme/platform:pull_request', 'repo:acme/platform:ref:refs/heads/main'] },
    ]);
    expect(condition(trust('acme-platform-prod-apply'))[1]).toEqual({
      test: 'StringEquals',
      variable: 'token.actions.githubusercontent.com:sub',
      values: ['repo:acme/platform:environment:prod'],
    });
    expect(trust('acme-platform-prod-apply')[0].actions).toEqual(['sts:AssumeRoleWithWebIdentity']);
  });

  it('lets the plan role read, lock its own state and nothing else; never a secret value', () => {
    const statements = permissions('acme-platform-dev-plan');
    const writes = statements.flatMap((s) => s.actions).filter((a: string) => !/:(Describe|Get|List|BatchGet|View)/.test(a) && a !== 'sts:GetCallerIdentity');
    // kms:Decrypt only with the state key (UseStateKey); GetRandomPassword returns new random text, no secret.
    expect(writes.sort()).toEqual(['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey', 's3:DeleteObject', 's3:PutObject']);
    expect(statements.flatMap((s) => s.actions)).not.toContain('secretsmanager:GetSecretValue');
    expect(statements.find((s) => s.actions.includes('kms:Decrypt'))!.sid).toBe('UseStateKey');
    const lock = statements.find((s) => s.sid === 'LockState')!;
    expect(lock.resources).toEqual([`arn:aws:s3:::${platform.stateBucket}/dev-*.tflock`]);
    expect(statements.find((s) => s.sid === 'ReadState')!.resources).toEqual([`arn:aws:s3:::${platform.stateBucket}/dev-*`, `arn:aws:s3:::${platform.stateBucket}/shared/*`])!;
  });

  it("keeps each environment's apply role to its own state and its own IAM names", () => {
    const statements = permissions('acme-platform-dev-apply');
    expect(statements.find((s) => s.sid === 'WriteState')!.resources).toEqual([`arn:aws:s3:::${platform.stateBucket}/dev-*`])!;
    // Workload roles only: the CI roles live under /acme-platform/ci/, which this pattern cannot match.
    expect(statements.find((s) => s.sid === 'ManageWorkloadRoles')!.resources).toEqual(['arn:aws:iam::123456789012:role/acme-platform-dev-*']);
    expect(statements.find((s) => s.sid === 'BoundedWorkloadRoles')!.resources).toEqual(['arn:aws:iam::123456789012:role/acme-platform-dev-*']);
    expect(roles['acme-platform-dev-apply'].path).toBe('/acme-platform/ci/');
    const kms = statements.find((s) => s.sid === 'UseStateKey')!;
    expect(kms.condition).toEqual([{ test: 'ForAnyValue:StringEquals', variable: 'kms:ResourceAliases', values: [`alias/${platform.stateBucket}`] }]);
  });

  it("limits an environment's apply role to its own cluster, log groups and keys", () => {
    const statements = permissions('acme-platform-dev-apply');
    const sid = (id: string) => statements.find((s) => s.sid === id)!;
    expect(sid('ManageThisEnvironmentsCluster').resources).toEqual([
      'arn:aws:eks:eu-west-1:123456789012:cluster/acme-platform-dev',
      'arn:aws:eks:eu-west-1:123456789012:nodegroup/acme-platform-dev/*',
      'arn:aws:eks:eu-west-1:123456789012:addon/acme-platform-dev/*',
      'arn:aws:eks:eu-west-1:123456789012:access-entry/acme-platform-dev/*',
      'arn:aws:eks:eu-west-1:123456789012:podidentityassociation/acme-platform-dev/*',
    ]);
    expect(sid('ManageThisEnvironmentsLogs').resources).toEqual([
      'arn:aws:logs:eu-west-1:123456789012:log-group:/aws/eks/acme-platform-dev/*',
      'arn:aws:logs:eu-west-1:123456789012:log-group:/platform/acme-platform-dev/*',
    ]);
    expect(sid('ManageThisEnvironmentsKeys').condition).toEqual([
      { test: 'StringEquals', variable: 'aws:ResourceTag/platform', values: ['acme-platform'] },
      { test: 'StringEquals', variable: 'aws:ResourceTag/environment', values: ['dev'] },
    ]);
    // No statement grants eks, kms or logs actions on every resource, but reads and creating the cluster (tagged).
    for (const s of statements.filter((s) => s.resources.includes('*')))
      expect(s.actions.filter((a: string) => /^(eks|logs):/.test(a) || a === 'kms:*'), s.sid).toEqual(
        s.sid === 'ReadPlatformResources' ? s.actions.filter((a: string) => /^(eks|logs):/.test(a)) : s.sid === 'CreateThisEnvironmentsCluster' ? ['eks:CreateCluster'] : [],
      );
    expect(sid('CreateThisEnvironmentsCluster').condition).toEqual([
      { test: 'StringEquals', variable: 'aws:RequestTag/platform', values: ['acme-platform'] },
      { test: 'StringEquals', variable: 'aws:RequestTag/environment', values: ['dev'] },
    ]);
    // EC2: created only with the environment's tags, changed only when tagged with them (iam.test.ts proves it).
    expect(sid('ChangeThisEnvironmentsNetwork').condition).toEqual(sid('ManageThisEnvironmentsKeys').condition);
    expect(statements.flatMap((s) => s.actions).filter((a: string) => /^(autoscaling|elasticloadbalancing):(?!Describe)/.test(a))).toEqual([]);
  });

  it('caps every role an environment creates with its permissions boundary, which its apply role cannot change', () => {
    const policies = bodies(shared, 'aws_iam_policy');
    expect(policies.map((p) => p.name).sort()).toEqual(['acme-platform-boundary-dev', 'acme-platform-boundary-prod', 'acme-platform-ci-boundary']);
    const boundary = documentStatements(shared, policies.find((p) => p.name === 'acme-platform-boundary-dev')!.policy);
    const iamActions = boundary.flatMap((s) => s.actions).filter((a: string) => a.startsWith('iam:'));
    expect(iamActions).toEqual(['iam:CreateServiceLinkedRole']);

    const apply = permissions('acme-platform-dev-apply');
    const create = apply.find((s) => s.sid === 'BoundedWorkloadRoles')!;
    expect(create.actions).toEqual(['iam:CreateRole', 'iam:PutRolePermissionsBoundary', 'iam:PutRolePolicy', 'iam:DeleteRolePolicy']);
    expect(create.condition).toEqual([
      { test: 'StringEquals', variable: 'iam:PermissionsBoundary', values: ['arn:aws:iam::123456789012:policy/acme-platform-boundary-dev'] },
    ]);
    const all = apply.flatMap((s) => s.actions);
    expect(all).not.toContain('iam:DeleteRolePermissionsBoundary');
    // No managed-policy writes: the boundary policy is out of its reach.
    expect(all.filter((a: string) => /^iam:(Create|Delete|Set|Tag|Untag).*Policy/.test(a) && !a.includes('Role'))).toEqual([]);

    for (const env of ['dev', 'prod'])
      for (const stack of [`${env}-network`, `${env}-cluster`])
        for (const role of bodies(stacks[stack], 'aws_iam_role'))
          expect(role.permissions_boundary, `${stack} ${role.name}`).toMatch(
            /^\$\{data\.terraform_remote_state\.cross-stack-reference-input-shared\.outputs\.cross-stack-output-aws_iam_policy/,
          );
  });

  it('uses the existing OIDC provider when asked', () => {
    const { stacks: existing } = synth({ ...answers, github: { ...answers.github, oidcProvider: 'existing' } });
    expect(resources(existing.shared, 'aws_iam_openid_connect_provider')).toHaveLength(0);
    const role = bodies(existing.shared, 'aws_iam_role').find((r) => r.name === 'acme-platform-dev-plan')!;
    expect(documentStatements(existing.shared, role.assume_role_policy)[0].principals).toEqual([
      { type: 'Federated', identifiers: ['arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com'] },
    ]);
  });

  it('outputs every CI role ARN and turns on EBS encryption by default', () => {
    expect(Object.keys(shared.output).filter((o) => o.endsWith('_role_arn')).sort()).toEqual(
      ['dev_apply_role_arn', 'dev_plan_role_arn', 'prod_apply_role_arn', 'prod_plan_role_arn', 'shared_apply_role_arn', 'shared_plan_role_arn'],
    );
    expect(only(shared, 'aws_ebs_encryption_by_default')[1]).toMatchObject({ enabled: true });
  });
});

describe('the cluster autoscaler (installed by Argo CD, values in helm/<env>/cluster-autoscaler.yaml)', () => {
  const { platform, stacks } = synth({ environments: ['dev', 'prod'], kubernetesVersion: '1.34' });
  const valuesOf = (environment: string) => parse(helmValuesFiles(platform).find((f) => f.environment === environment && f.release === 'cluster-autoscaler')!.contents);
  const values = valuesOf('dev');

  it('is a release of every environment, from the catalogue chart, into kube-system', () => {
    expect(platformReleases([]).find((r) => r.name === 'cluster-autoscaler')).toMatchObject({ chart: 'cluster-autoscaler', namespace: 'kube-system' });
  });

  it('discovers this cluster node groups, in its region, with the image of its Kubernetes minor', () => {
    expect(values).toMatchObject({ cloudProvider: 'aws', awsRegion: 'eu-west-1', autoDiscovery: { clusterName: clusterName(platform, 'dev') } });
    expect(values.image.tag).toBe(catalogue.kubernetes.clusterAutoscaler['1.34']);
    expect(values.image.tag).toMatch(/^v1\.34\./);
  });

  it('runs as the service account the cluster stack binds to its IAM role (Pod Identity)', () => {
    const [, association] = only(stacks['dev-cluster'], 'aws_eks_pod_identity_association');
    expect(values.rbac.serviceAccount).toEqual({ create: true, name: association.service_account });
    expect(association.namespace).toBe('kube-system');
  });

  it('has resource requests, and two replicas in production', () => {
    expect(values.resources.requests).toEqual({ cpu: '100m', memory: '300Mi' });
    expect(values.replicaCount).toBe(1);
    expect(valuesOf('prod').replicaCount).toBe(2);
  });
});

describe('<env>-services: Helm reaches the cluster', () => {
  const { stacks } = synth({ environments: ['dev', 'prod'] });
  const dev = stacks['dev-services'];

  it('with the endpoint and CA of the cluster stack and an aws eks get-token', () => {
    const [helm] = dev.provider.helm;
    expect(helm.kubernetes.host).toMatch(/^\$\{data\.terraform_remote_state\.cross-stack-reference-input-dev-cluster\.outputs\..*endpoint\}$/);
    expect(helm.kubernetes.cluster_ca_certificate).toMatch(/^\$\{base64decode\(data\.terraform_remote_state\.cross-stack-reference-input-dev-cluster\./);
    expect(helm.kubernetes.exec).toEqual({
      api_version: 'client.authentication.k8s.io/v1beta1',
      command: 'aws',
      args: ['eks', 'get-token', '--cluster-name', 'acme-platform-dev', '--region', 'eu-west-1', '--output', 'json'],
    });
    expect(dev.terraform.required_providers.helm.version).toBe(catalogue.providers.helm.version);
  });
});

describe('names that must fit AWS limits', () => {
  const longest = { name: 'a'.repeat(30), environments: ['b'.repeat(12)] };
  const { stacks } = synth(longest);
  const cluster = stacks[`${'b'.repeat(12)}-cluster`];

  it('keeps node group names within 63 characters (prefix plus the 26-character Terraform suffix)', () => {
    for (const [, group] of resources(cluster, 'aws_eks_node_group')) expect(group.node_group_name_prefix.length + 26).toBeLessThanOrEqual(63);
  });

  it('keeps every IAM role name within 64 characters', () => {
    for (const stack of Object.values(stacks))
      for (const [, role] of resources(stack, 'aws_iam_role')) expect(role.name.length, role.name).toBeLessThanOrEqual(64);
  });

  it('gives two admin roles with the same name (different paths) separate access entries', () => {
    const { stacks: twins } = synth({
      environments: ['dev'],
      aws: { adminRoleArns: ['arn:aws:iam::123456789012:role/team-a/Admin', 'arn:aws:iam::123456789012:role/team-b/Admin'] },
    });
    const principals = resources(twins['dev-cluster'], 'aws_eks_access_entry').map(([, e]) => e.principal_arn);
    expect(principals).toContain('arn:aws:iam::123456789012:role/team-a/Admin');
    expect(principals).toContain('arn:aws:iam::123456789012:role/team-b/Admin');
  });
});
