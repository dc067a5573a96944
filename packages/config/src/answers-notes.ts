/*
 * The prose of docs/answers.md: why each answer exists, examples and pitfalls. The facts (types, defaults,
 * choices, limits, patterns, the region, tier and service tables) are not here: answers-reference.ts reads them
 * from the schema and its constants. Run `npx projen docs:answers` after editing this file.
 *
 * Markdown. `{{name}}` inserts a generated block or value (answers-reference.ts lists them); a placeholder alone
 * on its line takes that line's indentation.
 */
import type { AnswersInput } from './schema';

export interface FieldNote {
  /** YAML of one answer, e.g. `name: shop-platform`. For fields of `environments[]` and `services[]`: of one entry. */
  readonly example?: string;
  /** What the schema cannot state itself (cross-field checks, CIDR rules), or a plain-words reading of its pattern. */
  readonly rule?: string;
  /** Said after the generated type, in parentheses. */
  readonly typeNote?: string;
  /** A default the schema leaves to resolution, in words (the generated text adds the values it gives). */
  readonly default?: string;
  /** Said after the generated default, in parentheses. */
  readonly defaultNote?: string;
  /** Markdown after the field's table. */
  readonly notes?: string;
  /**
   * How an object's fields are shown: `sections` (each its own section, the default), `table` (one table in this
   * field's section, at `{{fields}}`), `inline` (each its own section at this level; the object gets none).
   */
  readonly layout?: 'sections' | 'table' | 'inline';
  /** For a list of name-or-object entries shown as `sections`: the heading above the object's fields. */
  readonly entryHeading?: string;
}

/** The answers of the public contract example (test/fixtures/answers.yaml holds the same answers). */
export const EXAMPLE_ANSWERS: AnswersInput = {
  name: 'acme-platform',
  aws: {
    region: 'eu-west-1',
    accountId: '123456789012',
    adminRoleArns: ['arn:aws:iam::123456789012:role/aws-reserved/sso.amazonaws.com/eu-west-1/AWSReservedSSO_AdministratorAccess_0123456789abcdef'],
  },
  environments: ['dev', 'staging', { name: 'prod', clusterPublicAccessCidrs: ['203.0.113.0/24'] }],
  services: [
    { name: 'web', language: 'node', public: true },
    {
      name: 'api',
      callers: ['web'],
      env: { LOG_LEVEL: 'info' },
      secretEnv: ['DATABASE_URL'],
      bucket: true,
      tiers: { production: { minReplicas: 3, maxReplicas: 10, cpu: '500m', memory: '512Mi' } },
    },
    'worker',
  ],
  supportingServices: ['postgresql', 'redis', 'nginx', 'cert-manager', 'loki', 'grafana', 'prometheus', 'oathkeeper', 'hydra', 'keto', 'kratos'],
  domain: 'acme.example.com',
  github: { owner: 'acme', repository: 'acme-platform' },
  owner: 'platform-team',
  costCenter: 'cc-1234',
};

/** Answers with two mistakes: "How answers are checked" shows what validating them prints. */
export const ERROR_EXAMPLE_ANSWERS: unknown = {
  aws: { accountId: '12345678901' },
  environments: ['dev', { name: 'staging', vpcCidr: '10.20.1.0/16' }],
};

export const INTRO = `The answers describe the platform you want. \`create-platform\` turns them into a platform repository:

\`\`\`sh
npx create-platform --answers answers.yaml   # or answers.json
\`\`\`

The answers file may be JSON or YAML. The answers also end up in the generated repository's \`.projenrc.ts\`, as
\`new PlatformProject({ answers: {...} })\`. To change the platform later, edit them there. The same rules apply in
both places.

This is the public contract example:

{{example}}

Every field is optional. With no fields at all (\`{}\`) you get the defaults listed below. Set at least \`aws.accountId\`
and \`github.owner\`, because their defaults are placeholders.

Editors can check an answers file as you type: [answers.schema.json](answers.schema.json) is the JSON Schema of the
answers, generated from the same schema as this page. With the YAML language server (e.g. the VS Code YAML extension),
start \`answers.yaml\` with this line:

\`\`\`yaml
# yaml-language-server: $schema={{jsonSchemaUrl}}
\`\`\`

The JSON Schema checks each field on its own: types, choices, patterns and limits. \`create-platform\` also checks what
it cannot express, such as CIDR ranges and the checks that span fields.`;

export const CHECKS = `- Each problem is reported with its field path and a fix, and you get every problem at once. For example:

  {{errorExample}}

  Paths look like \`aws.region\`, \`environments[1].vpcCidr\` and \`tags.owner\`. \`(answers)\` means the top level.
- Unknown fields are rejected at every level. The error names the field a typo likely meant (\`natGateway\`: did you
  mean \`natGateways\`?) and lists the known ones. create-platform reports every problem of an answers file in one run:
  unknown fields, invalid values and missing answers together.
- Checks that span fields run only when every field is valid on its own. These checks cover duplicate names,
  overlapping VPC ranges, \`minSize <= desiredSize <= maxSize\`, zone count against the region, supporting services
  that need other services, and admin roles that are listed twice or are the platform's own CI roles. So after you
  fix one round of errors, a second round may appear.`;

export const YAML_PITFALLS = `- **Quote \`aws.accountId\`.** YAML reads \`accountId: 012345678901\` as a number, and the leading zero is lost. An unquoted
  12-digit number is accepted and turned into text. A number that lost its leading zeros is rejected because it has
  fewer than 12 digits.
- **Quote \`kubernetesVersion\`.** \`kubernetesVersion: {{kubernetesDefault}}\` is a number in YAML, and numbers are rejected. Write
  \`kubernetesVersion: "{{kubernetesDefault}}"\`.`;

const TAG_CHARACTERS = 'letters, digits, spaces and `_ . : / = + - @`';

/** One entry per field of the answers schema, keyed by its path (`environments[].nodes.maxSize`). */
export const ANSWER_NOTES: Record<string, FieldNote> = {
  name: {
    rule: "3–30 characters: lowercase letters, digits and single dashes. It starts with a letter and doesn't end with a dash",
    example: 'name: shop-platform',
    notes: 'It prefixes every AWS resource and stack. It is also the default for `domain`, `github.repository` and `stateBucket`.',
  },

  aws: { layout: 'inline' },
  'aws.region': {
    typeNote: 'one of the regions below',
    example: 'aws: { region: eu-central-1 }',
    notes: `All environments run in this region. The kit names each region's zones itself and never looks them up. It lists only
zones that exist for every account and support EKS control planes:

{{regions}}`,
  },
  'aws.accountId': {
    typeNote: 'a whole number is accepted and converted',
    defaultNote: 'a placeholder: set your own',
    rule: 'exactly 12 digits',
    example: 'aws: { accountId: "012345678901" }',
    notes: 'This is the AWS account the platform deploys into. Quote it in YAML (see [YAML pitfalls](#yaml-pitfalls)).',
  },
  'aws.adminRoleArns': {
    typeNote: 'IAM role ARNs',
    rule:
      "each entry is `arn:aws:iam::<12 digits>:role/<name>` (the `aws` partition), with the role's path if it has one. No entry twice. " +
      "None of the platform's own CI roles (`arn:aws:iam::<accountId>:role/<name>-<scope>-plan` or `-apply`), which have cluster access already",
    example: 'aws: { adminRoleArns: ["arn:aws:iam::123456789012:role/PlatformAdmin"] }',
    notes: `These are the IAM roles of the people who administer the clusters. Each one gets cluster admin
(\`AmazonEKSClusterAdminPolicy\`) in every environment's cluster, through an EKS access entry. With an empty list,
only the CI roles can reach the clusters, and \`kubectl\` answers \`Unauthorized\` to everyone else, even to whoever
applied the cluster: add your own role before the first cluster is applied (or apply \`<env>-cluster\` again after).

Give the full ARN, path included. IAM Identity Center (SSO) roles have a path, e.g.
\`arn:aws:iam::123456789012:role/aws-reserved/sso.amazonaws.com/eu-west-1/AWSReservedSSO_AdministratorAccess_0123456789abcdef\`.
To find yours, with the credentials you use for AWS: \`aws sts get-caller-identity\` prints
\`arn:aws:sts::<account>:assumed-role/<role>/<session>\`, without the path; then
\`aws iam get-role --role-name <role> --query Role.Arn --output text\` prints the role's ARN with it. The IAM console
shows it too, under Roles. An IAM user cannot be listed: use a role. See [access entries](aws-platform.md#access-entries).`,
  },

  environments: {
    typeNote: 'see [environment objects](#environment-objects)',
    rule: 'names unique',
    example: 'environments: [dev, prod]',
    entryHeading: 'Environment objects',
    notes: `List the environments in promotion order. A name is short for \`{ name: <name> }\`. You can mix names and objects:

\`\`\`yaml
environments:
  - dev
  - name: qa
    tier: production
  - name: prod
    vpcCidr: 10.30.0.0/16
    clusterPublicAccessCidrs: [203.0.113.0/24]
    logRetentionDays: 731
    nodes: { maxSize: 20 }
\`\`\`

A list is required, so \`environments: dev\` is rejected.`,
  },
  'environments[].name': {
    rule: "2–12 lowercase letters and digits, starting with a letter. `bootstrap` and `shared` are reserved. Dashes aren't allowed",
    example: 'name: staging',
  },
  'environments[].profile': {
    example: '{ name: dev, profile: lean }',
    rule: '`lean` only with the `non-production` tier',
    notes: `\`lean\` is the cheapest environment that still runs the whole platform: the default \`dev\` environment drops from
about $231 to about $149 a month in the estimate (eu-west-1). Over the tier's defaults it sets:

| setting | lean | what it gives up |
|---|---|---|
| \`natGateways\` | \`instance\` | one NAT instance instead of a NAT gateway: egress stops while it is down, and its bandwidth is a t4g.nano's |
| \`availabilityZones\` | \`2\` (for a new environment; a recorded one keeps its zones) | the least EKS accepts |
| \`nodes\` | one \`t3a.large\` (or \`t3.large\`) spot node, \`minSize 1\`, \`maxSize 3\`, 20 GiB | a spot reclaim stops the environment until the next node starts; the autoscaler adds nodes when requests do not fit. The VPC CNI hands out address prefixes, so one node holds every pod (110 instead of 35) |
| the Gateway's load balancer | one zone's public subnet | one public address instead of one per zone; that zone's outage takes the entry point down |
| control-plane logs | \`api\` and \`authenticator\`, no \`audit\` | no record of who did what through the Kubernetes API. The policy rule \`eks-control-plane-logs\` is suppressed for that cluster, with the reason, in \`platform/policy.json\` |

Anything you answer on the environment still wins (e.g. \`natGateways: single\` keeps a NAT gateway). The load balancer's
zone is chosen when the load balancer is created: an environment that had one keeps it in every zone until its Service
is recreated.`,
  },
  'environments[].target': {
    example: 'target: { kind: kubernetes, context: office, gateway: NodePort, objectStorage: { endpoint: https://minio.office.example.com:9000 } }',
    default: 'none: an EKS cluster of its own',
    notes: `Where the environment runs. Without \`target\` (or with \`kind: eks\`), the platform creates its VPC, an EKS cluster
with node groups, and the AWS side of its services. With \`kind: kubernetes\`, it runs on a cluster someone already
runs, on premises or in another cloud: its only stack installs Argo CD through the kubeconfig context, Argo CD installs
the rest, and the environment uses nothing of AWS but the platform's state bucket (its Terraform state) and ECR.
The answers that shape an EKS cluster and its VPC (\`vpcCidr\`, \`availabilityZones\`, \`natGateways\`,
\`clusterPublicAccessCidrs\`, \`logRetentionDays\`, \`flowLogRetentionDays\`, \`interfaceEndpoints\`, \`nodes\`, \`vpn\`,
\`budgetUsd\`, \`profile: lean\`) are refused for such an environment, and the target's own answers are refused for EKS.
A platform may mix them: dev on a cluster in the office, staging and prod on EKS.

Such an environment has no DNS sub-zone (records by hand), no cluster autoscaler, no price in the cost estimate and no
budget. Its CI apply job needs a runner that reaches the cluster and the kubeconfig as a secret (docs/ci.md of the
platform repo). A service with \`bucket: true\` is refused while any environment runs on an existing cluster: its
bucket is reached with EKS Pod Identity. Moving an environment between EKS and an existing cluster, or to another
context, is a change of identity: \`npx projen\` warns, and CI's plan needs the \`allow-destroy\` labels.`,
  },
  'environments[].target.kind': {
    example: 'target: { kind: kubernetes, context: office }',
    notes: '`eks`: an EKS cluster the platform creates (the same as no `target`). `kubernetes`: an existing cluster, given by `context`.',
  },
  'environments[].target.context': {
    typeNote: 'a kubeconfig context',
    rule: 'needed with `kind: kubernetes`',
    example: 'target: { kind: kubernetes, context: office }',
    notes: `The context of your kubeconfig that reaches the cluster with rights to install cluster-wide resources (Argo CD's
CRDs and ClusterRoles): \`kubectl config get-contexts\` lists them. Terraform's Helm provider uses it locally; in CI,
the kubeconfig comes from the GitHub Environment's secret \`KUBECONFIG\` and must hold a context of this name.`,
  },
  'environments[].target.apiServer': {
    example: 'target: { kind: kubernetes, context: office, apiServer: https://k8s.office.example.com:6443 }',
    notes: "The API server's URL, written into the platform's docs (getting started, architecture). Nothing connects to it by this answer: the context does.",
  },
  'environments[].target.storageClass': {
    default: "none: the cluster's default StorageClass",
    example: 'target: { kind: kubernetes, context: office, storageClass: longhorn }',
    notes: "The StorageClass of every volume the supporting services claim (PostgreSQL, Redis, Loki, Prometheus, Grafana). Without it, the claims name none and the cluster's default class serves them: `kubectl get storageclass` shows which is the default.",
  },
  'environments[].target.gateway': {
    default: '`LoadBalancer`',
    example: 'target: { kind: kubernetes, context: office, gateway: NodePort }',
    notes: `How the Gateway (NGINX Gateway Fabric) is reached. \`LoadBalancer\`: the cluster gives the Gateway's Service an
address of its own balancer (MetalLB, kube-vip, a cloud's controller). \`NodePort\`: the Service listens on every node
at \`httpNodePort\` and \`httpsNodePort\`, and a balancer of yours (HAProxy, F5, a router) sends ports 80 and 443 there.
Either way the Service keeps the client's address (\`externalTrafficPolicy: Local\`): the balancer must send only to
nodes that run a Gateway pod, by health check.`,
  },
  'environments[].target.httpNodePort': {
    default: '`30080` with `gateway: NodePort`',
    rule: 'only with `gateway: NodePort`; the API server\'s default node port range is 30000 to 32767',
    example: 'target: { kind: kubernetes, context: office, gateway: NodePort, httpNodePort: 31080 }',
  },
  'environments[].target.httpsNodePort': {
    default: '`30443` with `gateway: NodePort`',
    rule: 'only with `gateway: NodePort`; not the HTTP port',
    example: 'target: { kind: kubernetes, context: office, gateway: NodePort, httpsNodePort: 31443 }',
  },
  'environments[].target.objectStorage': {
    layout: 'table',
    default: 'none: no object storage',
    rule: 'needed when `supportingServices` has `velero`',
    example: 'target: { kind: kubernetes, context: office, objectStorage: { endpoint: https://minio.office.example.com:9000 } }',
    notes: `An S3-compatible store (MinIO, Ceph RGW, a cloud's) for Loki's chunks, PostgreSQL's backups and Velero's. Each
gets a bucket named as on AWS (\`<platform>-<env>-<purpose>-<account>\`), which you create, and an access key that may
use only its bucket, which you put in the secrets backend (the platform repo's docs/secrets.md lists both).

{{fields}}

> **Without object storage**, Loki keeps its logs on one volume with one replica (a lost volume loses the logs), and
> PostgreSQL has no backups: a lost volume loses the data. Use it for an environment you can rebuild.`,
  },
  'environments[].target.objectStorage.endpoint': { typeNote: 'a URL' },
  'environments[].target.objectStorage.region': { default: '`us-east-1` (what MinIO and most stores accept)' },
  'environments[].target.objectStorage.forcePathStyle': { default: '`true` (`<endpoint>/<bucket>/<key>`, which MinIO needs)' },
  'environments[].target.secrets': {
    default: '`kubernetes`',
    example: 'target: { kind: kubernetes, context: office, secrets: vault, vault: { server: https://vault.office.example.com:8200 } }',
    notes: `What External Secrets reads the platform's secrets from. \`kubernetes\`: Secrets of the cluster itself. The
passwords the platform needs are generated in the cluster, once, in the \`platform-secrets\` namespace, and never
rotated by it. The values only you know (an SMTP password, a webhook URL, object storage keys) go there and in
\`platform-apps-secrets\` for the team's services. \`vault\`: HashiCorp Vault's KV version 2, through its Kubernetes auth
method, and you put every value there, generated ones too. The platform repo's docs/secrets.md lists the values and
the commands.`,
  },
  'environments[].target.vault': {
    layout: 'table',
    rule: 'needed with `secrets: vault`, refused otherwise',
    example: 'target: { kind: kubernetes, context: office, secrets: vault, vault: { server: https://vault.office.example.com:8200, authPath: kubernetes-office } }',
    notes: `{{fields}}

The role needs a policy that reads \`<path>/data/<platform>/<env>/*\`, bound to the service account
\`external-secrets\` in the namespace \`external-secrets\`. The team's services' store logs in with the role
\`<role>-apps\`, whose policy should read only \`<path>/data/<platform>/<env>/apps/*\`.`,
  },
  'environments[].target.vault.server': { typeNote: 'a URL' },
  'environments[].target.vault.path': { default: '`secret` (the KV version 2 mount of a new Vault)' },
  'environments[].target.vault.authPath': { default: "`kubernetes` (one cluster's auth method; a Vault that serves several clusters mounts one per cluster)" },
  'environments[].target.vault.role': { default: '`<platform>-<env>`' },
  'environments[].target.serviceAccountIssuer': {
    default: 'none: no pull credentials from the platform',
    rule: 'an https URL that AWS STS can reach',
    example: 'target: { kind: kubernetes, context: office, serviceAccountIssuer: https://oidc.office.example.com/k8s }',
    notes: `How the cluster pulls the team's images from ECR without a key. The cluster signs its service accounts' tokens
with this issuer (\`kubectl get --raw /.well-known/openid-configuration\` shows it), and AWS STS must be able to read the
issuer's discovery document and keys over HTTPS: most on-premises clusters keep them private, so they are published
first (for example in a public S3 bucket, as the EKS Pod Identity Webhook's self-hosted setup describes), and the API
server's \`--service-account-issuer\` names that URL. With it, \`shared\` creates an IAM OIDC provider for the issuer and a
role that only the \`ecr-pull\` service account of the \`apps\` namespace may assume, which may only pull the platform's
images, and External Secrets refreshes the pull secret \`ecr-pull\` with it every 6 hours. Without it, the services
still name the pull secret \`ecr-pull\`: create it yourself, or mirror the images into a registry the cluster reaches.`,
  },
  'environments[].tier': {
    example: '{ name: qa, tier: production }',
    notes: `The tier chooses the defaults of the settings below. Anything you set in the environment object wins.

**Per-tier defaults**

{{tierDefaults}}

> **Cost versus resilience in non-production.** A single NAT gateway serves every private subnet. If its zone fails,
> egress is cut for every private subnet in every zone. Spot nodes can be reclaimed at two minutes' notice. Give an
> environment \`tier: production\`, or set \`natGateways: per-az\` and \`nodes: { capacityType: on-demand }\`, if it must
> survive these failures.`,
  },
  'environments[].vpcCidr': {
    typeNote: 'an IPv4 CIDR',
    default: 'the range recorded for the environment, else the first free of `10.10.0.0/16`, `10.20.0.0/16`, ...',
    rule:
      'a network address (no host bits set), prefix `/16` to `/20`, inside {{privateRanges}}, and no overlap with any other ' +
      "environment's range, defaults included",
    example: 'vpcCidr: 172.16.0.0/16',
    notes: `Each environment gets its own range, so environments can be peered later. A new environment without \`vpcCidr\`
gets the first of \`10.10.0.0/16\`, \`10.20.0.0/16\`, ... that no other environment's range overlaps, and a platform repo
records it in \`platform/identity.json\` when the environment first appears. From then on the recorded range is its
default: adding, removing or reordering environments never moves it. Changing it (setting another \`vpcCidr\`) replaces
the environment's VPC and cluster: \`npx projen\` warns, and CI's plan fails until the pull request is labelled
\`allow-destroy:<env>-network\`. The error for \`10.10.1.0/16\` suggests the network address, \`10.10.0.0/16\`.`,
  },
  'environments[].availabilityZones': {
    rule: 'and no more than the region has (see [`aws.region`](#awsregion))',
    example: 'availabilityZones: 2',
    notes: `The first zones of the region's list are used, by zone ID, for example {{defaultZones}}, and recorded in
\`platform/identity.json\`: without this answer, an environment keeps its recorded zones (and their number) whatever
its tier's default or a newer kit's zone list. A different number here replaces its subnets. EKS needs at
least two. A zone ID names the same physical zone in every account, while a zone name (\`eu-west-1a\`) is mapped to a
different zone per account: subnets are placed by ID, and zones where EKS cannot run a control plane (\`use1-az3\`,
\`cac1-az3\`) are not listed.`,
  },
  'environments[].natGateways': {
    example: 'natGateways: per-az',
    notes: `With \`profile: lean\`, the default is \`instance\`. \`single\` means one NAT gateway for the whole VPC: cheaper, but a single point of failure for egress. \`per-az\` means one
NAT gateway per zone. \`instance\` means one NAT instance (a t4g.nano on Amazon Linux 2023, with an Elastic IP) instead of
a gateway: about $4 a month instead of about $37 plus $0.045 per GB, but one small instance carries all egress, with a
burstable instance's bandwidth, and must be replaced to take a newer image (see the platform on AWS, NAT strategies).`,
  },
  'environments[].clusterPublicAccessCidrs': {
    typeNote: 'IPv4 CIDRs',
    rule: 'each entry is an IPv4 CIDR with a prefix of `/8` or longer, and a network address (no host bits set)',
    example: 'clusterPublicAccessCidrs: [203.0.113.0/24]',
    notes: `An empty list makes the EKS API endpoint private only: \`kubectl\` and Helm must run from inside the VPC or over a
connection into it. Each CIDR you list can reach the endpoint from the internet. Keep the list to your office, VPN or
CI runner ranges. Prefixes shorter than \`/8\`, such as \`0.0.0.0/0\`, are rejected because they open the API to a large
part of the internet.`,
  },
  'environments[].logRetentionDays': {
    typeNote: 'days, unquoted',
    rule: 'a retention CloudWatch Logs accepts: {{choices}}',
    example: 'logRetentionDays: 90',
    notes: `This is how long the environment keeps its EKS control-plane logs (api, audit, authenticator). After that,
CloudWatch Logs deletes them. Flow logs have their own retention, \`flowLogRetentionDays\`.`,
  },
  'environments[].flowLogRetentionDays': {
    typeNote: 'days, unquoted',
    rule: 'a retention CloudWatch Logs accepts: {{choices}}',
    example: 'flowLogRetentionDays: 30',
    notes: `How long the VPC flow logs are kept. Flow logs are usually the largest log stream of an environment, so the
defaults are short. Non-production VPCs also aggregate flow records over 10 minutes instead of 1, which makes fewer
records; production keeps 1-minute records for investigations.`,
  },
  'environments[].interfaceEndpoints': {
    example: 'interfaceEndpoints: true',
    notes: `\`true\` adds VPC interface endpoints for ECR (\`ecr.api\`, \`ecr.dkr\`) and STS in every zone of the VPC, with private
DNS: image pulls and AWS token calls stay inside the VPC instead of crossing the NAT gateways. Each endpoint is billed
per zone and hour, so three endpoints in three zones cost more than a NAT gateway (the cost estimate shows it). Every
environment gets a free S3 gateway endpoint either way, so Loki, backups and image layers (stored in S3) skip NAT.`,
  },
  'environments[].letsEncrypt': {
    example: 'letsEncrypt: production',
    notes: `The Let's Encrypt server the Gateway's certificates come from. \`staging\` issues certificates browsers do not trust,
but its rate limits are far higher: an environment that is destroyed and rebuilt often would otherwise hit the
production limits (50 certificates per registered domain a week, 5 duplicate certificates a week) and be locked out
for days. Set \`production\` for an environment people use in a browser.`,
  },
  'environments[].vpn': {
    layout: 'table',
    typeNote: '`true` takes the defaults',
    example: 'vpn: { clientCidr: 10.255.252.0/22, subnets: 2 }',
    rule: '`clientCidr`: a /12 to /22 outside the environment\'s VPC range; `subnets`: at most the environment\'s zones',
    default: 'none: no VPN',
    notes: `{{fields}}

An AWS Client VPN endpoint in the environment's \`<env>-cluster\` stack, for the people who operate it: mutual TLS with a
certificate per person from the environment's own CA, split tunnel (only the VPC's range goes through it), the VPC's DNS
resolver, every connection logged. Connected, a person reaches the private Kubernetes API endpoint and the cluster as its
members do. \`clientCidr\` (default: the first of 10.255.252.0/22, 172.31.252.0/22, 192.168.252.0/22 that the VPC does not
overlap) is where clients get their addresses; \`subnets\` (default 1, 2 in production) is how many zones' private
subnets the endpoint is associated with, each billed about $73 a month in us-east-1, plus about $0.05 per connected
hour. The certificates are made with \`scripts/vpn-certificates.sh\` of the platform repo, outside Terraform: run its
\`init\` before the first apply (docs/vpn.md of the platform repo).`,
  },
  'environments[].vpn.clientCidr': { rule: 'a /12 to /22 network address, outside the VPC range' },
  'environments[].vpn.subnets': {},
  'environments[].budgetUsd': {
    example: 'budgetUsd: 400',
    default: 'the estimate plus `budget.headroomPercent`, rounded up to $10',
    notes: 'The monthly limit of the environment\'s AWS Budget, in US dollars. See [`budget`](#budget).',
  },
  'environments[].nodes': {
    layout: 'table',
    example: 'nodes: { instanceTypes: [m7i.xlarge], maxSize: 20 }',
    notes: `The fields you give replace the matching tier defaults, and the other fields keep them. A list in \`instanceTypes\`
replaces the default list. After merging, \`minSize <= desiredSize <= maxSize\` must hold. For example, in non-production
\`nodes: { maxSize: 1 }\` fails against the default \`desiredSize: 2\`.

{{fields}}

Supported instance types (x86_64, AL2023): {{instanceTypes}}.`,
  },
  'environments[].nodes.instanceTypes': { typeNote: 'instance types, listed below', rule: 'no duplicates' },
  'environments[].nodes.capacityType': {},
  'environments[].nodes.minSize': {},
  'environments[].nodes.desiredSize': {},
  'environments[].nodes.maxSize': {},
  'environments[].nodes.diskSizeGiB': { rule: '(the AL2023 image and container images need room)' },

  services: {
    rule: 'names unique (an empty list is allowed)',
    example: 'services: [api, { name: order-worker, language: go, port: 9000 }]',
    entryHeading: 'Service objects',
    notes: `These are your team's microservices. Each one gets an ECR repository and a Dockerfile, and runs in every
environment's cluster, in the \`apps\` namespace. A name is short for \`{ name: <name> }\`. You can mix names and objects:

\`\`\`yaml
services:
  - worker
  - name: web
    language: node
    port: 3000
    public: true
    env: { LOG_LEVEL: info }
    secretEnv: [SESSION_KEY]
    tiers:
      production: { minReplicas: 3, maxReplicas: 10, cpu: 500m, memory: 512Mi }
  - name: billing
    callers: [web, worker]
\`\`\``,
  },
  'services[].name': {
    rule: '2–40 characters: lowercase letters, digits and single dashes. It starts with a letter and ends with a letter or digit',
    example: 'name: order-worker',
  },
  'services[].language': {
    example: 'language: go',
    notes: 'The language chooses the Dockerfile and the sample app the service starts with. `generic` gives a Dockerfile to fill in.',
  },
  'services[].port': {
    example: 'port: 3000',
    notes: 'The port the service listens on. The kit sets it in the container as `PORT`, so `env` and `secretEnv` cannot set `PORT`.',
  },
  'services[].public': {
    rule: 'needs `nginx` in `supportingServices`. The name cannot be the host of a selected supporting service: `grafana` (Grafana), `auth` (Hydra), `id` (Kratos) or `api` (Oathkeeper)',
    example: '{ name: web, public: true }',
    notes: `A public service is reachable from the internet at \`https://<service>.<env>.<domain>\`, e.g.
\`https://web.dev.acme.example.com\`, through the Gateway (NGINX Gateway Fabric), with a certificate from cert-manager
when it is selected; its NetworkPolicy lets the Gateway's pods in. A service that is not public has no host name and is
reached from inside the cluster only. The kit creates no DNS records: point \`*.<env>.<domain>\` at the Gateway's load balancer.

The supporting services' hosts are under the same name: a service named like one of them, with that supporting service
selected, cannot be public.`,
  },
  'services[].callers': {
    typeNote: 'service names',
    rule: "names of the other services, each once, not the service's own",
    notes: `The services that may call this one. Each service gets a NetworkPolicy that denies every other pod in the cluster,
so by default nothing calls it (the \`apps\` namespace is default deny). A pod of a listed service may open its port; the Gateway
may too if the service is \`public\`, Oathkeeper's proxy when Oathkeeper is selected (it serves every service to authenticated
callers at \`https://api.<env>.<domain>/<service>/\`), and Prometheus may scrape it when selected. A service always reaches its
own pods, so do not list itself.`,
  },
  'services[].env': {
    typeNote: 'variable name to value',
    rule:
      'a name is letters, digits and underscores, not starting with a digit; not `PORT` (set by the kit from `port`), and not also in ' +
      '`secretEnv`. A value is text of {{limits}}',
    example: '{ name: api, env: { LOG_LEVEL: info, WORKERS: "4" } }',
    notes: `Plain environment variables of the service's container, the same in every environment. They are written into the
platform repo, so they are in git: put nothing secret here (use \`secretEnv\`). YAML numbers and booleans are accepted and
turned into text.`,
  },
  'services[].secretEnv': {
    typeNote: 'variable names',
    rule: 'each name is letters, digits and underscores, not starting with a digit, listed once; not `PORT`, and not also in `env`',
    example: '{ name: api, secretEnv: [DATABASE_URL, STRIPE_KEY] }',
    notes: `Environment variables whose values come from AWS Secrets Manager, never from git. For each environment, Terraform
(\`<env>-services-aws\`) creates the secret \`<platform>/<env>/apps/<service>\`, e.g. \`acme-platform/dev/apps/api\`,
empty. You put its value: a JSON object with these names as keys, e.g.
\`aws secretsmanager put-secret-value --secret-id acme-platform/dev/apps/api --secret-string '{"DATABASE_URL":"..."}'\`.
External Secrets reads it into the Kubernetes Secret \`<service>-env\` in the \`apps\` namespace, and the container gets
each key as a variable. Until the secret holds every key, External Secrets cannot write the Secret, and the service's
containers do not start.`,
  },
  'services[].bucket': {
    typeNote: 'true or false',
    rule: '`true` or `false`; with `true`, `env` and `secretEnv` cannot set `BUCKET` or `AWS_REGION`',
    example: '{ name: api, bucket: true }',
    notes: `An S3 bucket of the service's own in each environment, and the only AWS access a service gets from the answers.
\`<env>-services-aws\` creates the bucket \`<platform>-<env>-<service>-<account>\` (names over 63 characters are cut, with
a hash), hardened like the platform's buckets: encrypted with the environment's key, versioned, no public access, TLS
only. Production buckets survive \`terraform destroy\`. It also creates the role \`<platform>-<env>-app-<service>\`,
which may read, write and delete that bucket's objects and nothing else, within the environment's boundary. EKS Pod
Identity binds the role to the service account \`apps/<service>\`. The container gets \`BUCKET\` and \`AWS_REGION\`, and
the AWS SDKs find the credentials on their own.`,
  },
  'services[].tiers': {
    example: '{ name: api, tiers: { production: { minReplicas: 3, maxReplicas: 12 } } }',
    notes: `The service's replicas and resources in the environments of each tier (see [\`environments[].tier\`](#environmentstier)).
The fields you give replace the tier's defaults below, and the others keep them. After merging,
\`minReplicas <= maxReplicas\` must hold in each tier.

- \`minReplicas\` and \`maxReplicas\` bound its HorizontalPodAutoscaler, which scales on CPU use.
- \`cpu\` and \`memory\` are each container's requests: what the scheduler reserves on a node. The CPU limit is twice the
  request (room for bursts); the memory limit equals the request (a container over its request would be the first
  evicted anyway).
- In production, a PodDisruptionBudget keeps a replica up while nodes are drained.`,
  },
  'services[].tiers.production': { layout: 'table', example: 'tiers: { production: { minReplicas: 3, cpu: 500m, memory: 512Mi } }' },
  'services[].tiers.production.minReplicas': {},
  'services[].tiers.production.maxReplicas': {},
  'services[].tiers.production.cpu': { typeNote: 'millicores or cores' },
  'services[].tiers.production.memory': { typeNote: 'Mi or Gi' },
  'services[].tiers.non-production': { layout: 'table', example: 'tiers: { non-production: { maxReplicas: 2, memory: 256Mi } }' },
  'services[].tiers.non-production.minReplicas': {},
  'services[].tiers.non-production.maxReplicas': {},
  'services[].tiers.non-production.cpu': { typeNote: 'millicores or cores' },
  'services[].tiers.non-production.memory': { typeNote: 'Mi or Gi' },

  supportingServices: {
    typeNote: 'supporting service names, in the table below',
    rule: 'no duplicates, requirements met (an empty list is allowed)',
    example: 'supportingServices: [postgresql, nginx, cert-manager, prometheus, grafana]',
    notes: `Argo CD installs these services into every environment's cluster from the platform repo's \`gitops/<env>/\` folder.
Their buckets, roles and secrets are in \`<env>-services-aws\`. [Supporting services](supporting-services.md) and
[GitOps](gitops.md) have the details.
The resolved list always follows the order of this table, whatever order you write.

{{supportingServices}}`,
  },

  domain: {
    rule:
      'a lowercase DNS name with at least two labels and 4–253 characters in total. It has no scheme, path or port. ' +
      "Each label is 1–63 letters, digits and dashes, and doesn't start or end with a dash. The last label is 2–63 letters",
    example: 'domain: acme.example.com',
    notes: `This is the DNS domain the platform serves. Surrounding spaces and one trailing dot are removed, so
\`acme.example.com.\` becomes \`acme.example.com\`. \`https://acme.example.com\`, \`acme.example.com/app\`, \`localhost\` and
\`Acme.example.com\` are rejected.

Each environment serves \`<env>.<domain>\`, e.g. \`dev.acme.example.com\`. The supporting services' hosts are under it:
\`grafana.\`, \`auth.\` (Hydra), \`id.\` (Kratos) and \`api.\` (Oathkeeper); see
[hostnames and routing](supporting-services.md#hostnames-and-routing). With \`dns.zone: none\` (the default) the kit
creates no DNS records; with a zone, external-dns keeps them (see \`dns\`).`,
  },

  certificateEmail: {
    example: 'certificateEmail: ops@acme.example.com',
    notes: "This is the contact address for Let's Encrypt certificates, used by cert-manager.",
  },

  dns: {
    layout: 'table',
    example: '{ domain: acme.example.com, dns: { zone: existing, zoneId: Z0123456789ABCDEFGHIJ } }',
    rule: '`zoneId` is needed with `zone: existing` and refused otherwise; `create` and `existing` need `domain` answered',
    notes: `{{fields}}

With a zone (\`create\` or \`existing\`), the \`shared\` stack gives each environment its own Route 53 zone, \`<env>.<domain>\`,
and delegates it from the platform's zone with an NS record. In each cluster, external-dns keeps an alias record per
Gateway route in that zone, and cert-manager proves the domain with TXT records there (DNS-01): the Gateway serves one
wildcard certificate, \`*.<env>.<domain>\`. Each environment's roles can change only its own zone.

With \`create\`, the platform's zone is new: tell your registrar (or the parent zone) its name servers, printed as the
\`shared\` stack's output \`zone_name_servers\`. With \`existing\`, the zone of \`domain\` is in this account already and the
kit only adds the NS records of the environments' zones to it. See [DNS](dns.md).

A zone costs $0.50 a month (each environment's too) and queries $0.40 a million; the cost estimate counts the zones.`,
  },

  budget: {
    layout: 'table',
    example: 'budget: { emails: [finance@acme.example.com, platform@acme.example.com], headroomPercent: 30 }',
    rule: 'at most 10 addresses, each once',
    notes: `{{fields}}

Every environment gets a monthly AWS Budget in its \`<env>-network\` stack, named after its cluster, over the resources
tagged \`environment = <env>\`; the platform gets one in \`shared\`, named after it, over \`platform = <name>\`. Each
e-mails \`emails\` when the month's spending is forecast to pass 80% of the limit, and when it passes 100%. A limit is
\`environments[].budgetUsd\` when answered, else the environment's cost estimate plus \`headroomPercent\`, rounded up
to $10 (in a region without prices, the estimate is made with us-east-1's prices). The platform's limit is the
environments' limits plus the shared stacks' estimate plus the headroom. Budgets count what the estimate counts:
list prices without tax, credits, refunds or support.

**Tags must be activated.** AWS Budgets sees a tag only once it is an active cost allocation tag, and counts cost
only from then on: until then every tag budget shows $0. Activation is done in the management account of an AWS
Organization (or a standalone account), and a tag key can be activated only after AWS has seen it on a resource, up
to 24 hours after the first apply. Either activate \`platform\` and \`environment\` in the Billing console (Cost
allocation tags), or answer \`costAllocationTags: true\` once the tags are there and the platform deploys to the
management or a standalone account: \`shared\` then activates \`platform\`, \`environment\` (and \`owner\` and
\`cost-center\` when answered). In a member account the apply fails with an access error: leave it \`false\`.

A budget filters by one tag: two platforms in one account with an environment of the same name share that
environment's budget figures (their platform budgets stay apart).

\`anomalyDetection: true\` adds Cost Anomaly Detection on the \`platform\` tag (a custom monitor, which also needs the
tag active) and a daily e-mail to \`emails\` of anomalies with a total impact of $25 or more.`,
  },
  'budget.emails': { default: 'the certificate contact, `certificateEmail`' },
  'budget.headroomPercent': {},
  'budget.costAllocationTags': {},
  'budget.anomalyDetection': {},

  alerts: {
    layout: 'table',
    example: "alerts: { receiver: slack, slackChannel: '#platform-alerts' }",
    rule: 'the fields of the answered receiver are needed (email: `smtpSmarthost`, `smtpUsername`; slack: `slackChannel`); those of the other are refused',
    notes: `{{fields}}

Alertmanager sends critical and warning alerts to the receiver (critical ones again every hour while they fire,
warnings every 12 hours); info alerts go nowhere. Outside production the platform's critical rules fire as warnings.
The whole configuration is in git (the ExternalSecret \`monitoring/alertmanager-platform\`); the one secret value, the
Slack webhook URL or the SMTP password, is put by a person into the Secrets Manager secret
\`<name>/<env>/alertmanager\`, which Terraform creates empty: it is never in git, Terraform state or a plan. Until it
is put, Alertmanager runs with an empty configuration and alerts reach no one. With \`none\`, every alert goes to
a \`null\` receiver; firing alerts still show in Grafana and Alertmanager. Needs \`prometheus\`. The platform repo's
docs/alerts.md lists every alert with its runbook, and the commands that set the receiver up.`,
  },
  'alerts.receiver': {},
  'alerts.emails': { default: '`budget.emails`' },
  'alerts.smtpSmarthost': { rule: 'host:port, port 25, 465 (implicit TLS), 587 or 2525 (STARTTLS, required)' },
  'alerts.smtpUsername': {},
  'alerts.smtpFrom': { default: '`alerts@<domain>`' },
  'alerts.slackChannel': { rule: '`#` then lowercase letters, digits, `-` and `_`' },

  'dns.zone': {},
  'dns.zoneId': { rule: '`Z` and up to 31 uppercase letters and digits; a leading `/hostedzone/` is removed. Only with `zone: existing`' },

  github: {
    layout: 'table',
    example: 'github: { owner: acme, repository: acme-platform, oidcProvider: existing }',
    notes: `{{fields}}

This is the repository CI runs in. The OIDC roles trust \`owner/repository\`. A wrong owner either breaks CI or trusts
someone else's repository, so always set \`owner\`.

\`oidcProvider\` says where GitHub's OIDC provider (\`token.actions.githubusercontent.com\`) comes from. With \`create\`,
the \`shared\` stack creates it. An account holds only one provider per URL, so if the account has one already, use
\`existing\`: the roles then trust that provider, which must list the audience \`sts.amazonaws.com\`. See
[CI access](aws-platform.md#ci-access).`,
  },
  'github.owner': {
    defaultNote: 'a placeholder: set your own',
    rule: 'the GitHub user or organisation: letters, digits and single dashes, at most 39 characters, starting with a letter or digit',
  },
  'github.repository': {
    rule: 'the repository name only, not a URL: 1–100 letters, digits, `.`, `_`, `-`, and not `.` or `..`',
  },
  'github.oidcProvider': {},

  kubernetesVersion: {
    typeNote: 'the versions in EKS standard support',
    example: 'kubernetesVersion: "{{kubernetesLatest}}"',
    notes: `Quote it in YAML (see [YAML pitfalls](#yaml-pitfalls)). The supported list and the default come from the kit's version
catalogue, so they move with kit releases.`,
  },

  owner: {
    defaultNote: 'no tag',
    rule: `{{limits}}: ${TAG_CHARACTERS}`,
    example: 'owner: platform-team',
    notes: `This is the team that owns the platform. It becomes the \`owner\` tag of every AWS resource, and wins over
\`tags.owner\`.`,
  },

  costCenter: {
    defaultNote: 'no tag',
    rule: `{{limits}}: ${TAG_CHARACTERS}`,
    example: 'costCenter: "4711"',
    notes: `This is the cost center the platform is billed to. It becomes the \`cost-center\` tag of every AWS resource, and wins
over \`tags.cost-center\`. Quote values that YAML would read as numbers.`,
  },

  tags: {
    typeNote: 'tag name to value',
    rule:
      `a name is 1–128 characters of ${TAG_CHARACTERS}, and doesn't start with \`aws:\` (in any case). ` +
      `A value is text of {{limits}}: ${TAG_CHARACTERS}`,
    example: 'tags: { team: payments, data-class: internal }',
    notes: `These extra tags go on every AWS resource. Quote values that YAML would read as numbers or booleans, such as \`"4711"\`
or \`"true"\`, because values must be text. The kit's own tags win over tags of the same name: \`platform\`,
\`managed-by\`, and \`environment\` in the environment stacks. See [tags](aws-platform.md#tags).`,
  },

  stateBucket: {
    typeNote: 'an S3 bucket name',
    rule:
      "3–63 characters: lowercase letters, digits and dashes. It starts and ends with a letter or digit and has no dots. It doesn't start " +
      "with `xn--`, `sthree-` or `amzn-s3-demo-`, and doesn't end with `-s3alias`, `--ol-s3` or `--x-s3` (AWS reserves these)",
    example: 'stateBucket: acme-terraform-state',
    notes: `This is the Terraform state bucket. S3 bucket names are global across all AWS accounts. The default includes the account
id so that it is unlikely to be taken.`,
  },
};
