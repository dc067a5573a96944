import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, posix } from 'node:path';
import {
  clusterName,
  environmentBudget,
  platformBudget,
  COST_ASSUMPTIONS,
  estimateCost,
  formatUsd,
  POLICY_RULES,
  PRICES_AS_OF,
  resolvePlatform,
  stackNames,
  SUPPORTING_SERVICES,
  selectableSupportingServiceNames,
  type SupportingServiceName,
  supportingPlan,
  supportingService,
  chartPin,
  alertGroups,
  runbookUrl,
  type AnswersInput,
  type Platform,
} from '@platform-kit/config';
import { JSDOM } from 'jsdom';
import { synthSnapshot } from 'projen/lib/util/synth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PlatformProject } from '../src';

/*
 * The generated repo's docs/: the mermaid diagrams parse with mermaid's own parser and show every stack and
 * service; each page names what the answers configure; the teardown order is the deploy order reversed; every
 * link between the pages resolves.
 */

const ANSWER_SETS: Record<string, AnswersInput> = {
  everything: {
    name: 'acme-platform',
    services: [{ name: 'api', port: 3000 }, 'worker'],
    supportingServices: selectableSupportingServiceNames() as SupportingServiceName[],
    domain: 'acme.example.com',
    certificateEmail: 'ops@acme.example.com',
    dns: { zone: 'create' },
    alerts: { receiver: 'slack', slackChannel: '#acme-alerts' },
  },
  minimal: { name: 'tiny', environments: ['dev'], services: [], supportingServices: [] },
  'identity without routing': {
    name: 'ids',
    environments: ['dev', { name: 'live', natGateways: 'single' }],
    services: ['api'],
    supportingServices: ['postgresql', 'cert-manager', 'hydra', 'kratos', 'grafana'],
  },
  // A region with two zones, where the price table has no prices: no estimate, and cost.md says so.
  'a region without prices': { name: 'west', aws: { region: 'us-west-1' }, environments: ['dev'], services: ['api'], supportingServices: ['nginx'] },
  // dev on an office cluster (node ports, MinIO, Secrets of the cluster, ECR pulls with its issuer), qa on a lab cluster
  // with Vault and nothing else answered, prod on EKS.
  'existing clusters': {
    name: 'mixed',
    environments: [
      {
        name: 'dev',
        target: {
          kind: 'kubernetes',
          context: 'office',
          apiServer: 'https://k8s.office.example.com:6443',
          gateway: 'NodePort',
          objectStorage: { endpoint: 'https://minio.office.example.com:9000' },
          serviceAccountIssuer: 'https://oidc.office.example.com',
        },
      },
      { name: 'qa', target: { kind: 'kubernetes', context: 'lab', secrets: 'vault', vault: { server: 'https://vault.lab.example.com:8200' } } },
      'prod',
    ],
    services: [{ name: 'web', public: true, secretEnv: ['TOKEN'] }],
    supportingServices: ['postgresql', 'cert-manager', 'nginx', 'loki', 'grafana', 'prometheus', 'kratos'],
    domain: 'mixed.example.com',
    dns: { zone: 'create' },
    alerts: { receiver: 'slack', slackChannel: '#mixed' },
  },
  'four environments': {
    name: 'quad',
    environments: ['dev', 'qa', 'staging', { name: 'prod', clusterPublicAccessCidrs: ['203.0.113.0/24'], vpn: true }],
    services: ['api'],
    supportingServices: ['nginx', 'grafana', 'prometheus', 'loki'],
    domain: 'quad.example.org',
    dns: { zone: 'existing', zoneId: 'Z0123456789ABCDEFGHIJ' },
  },
};

const outdirs: string[] = [];
afterAll(() => {
  for (const dir of outdirs) rmSync(dir, { recursive: true, force: true });
});

/** The generated repo's docs/*.md by file name. */
function docsOf(answers: AnswersInput): Record<string, string> {
  const outdir = mkdtempSync(join(tmpdir(), 'docs-'));
  outdirs.push(outdir);
  const files = synthSnapshot(new PlatformProject({ answers, outdir }));
  return Object.fromEntries(Object.entries(files).filter(([path]) => path.startsWith('docs/')).map(([path, text]) => [path.slice('docs/'.length), String(text)]));
}

const mermaidBlocks = (markdown: string) => [...markdown.matchAll(/^```mermaid\n([\s\S]*?)^```$/gm)].map((m) => m[1]);

interface ParsedFlowchart {
  vertices: { id: string; text: string }[];
  subgraphs: { id: string; title: string; nodes: string[] }[];
  edges: { start: string; end: string; text: string }[];
}

// mermaid sanitizes labels with DOMPurify, which needs a DOM: jsdom's, installed before mermaid loads.
type Mermaid = typeof import('mermaid').default;
let mermaid: Mermaid;
beforeAll(async () => {
  const { window } = new JSDOM('');
  Object.assign(globalThis, { window, document: window.document });
  mermaid = (await import('mermaid')).default;
});

/** Parses a flowchart with mermaid and reads back what its parser built. Throws on a syntax error. */
async function parseFlowchart(text: string): Promise<ParsedFlowchart> {
  await mermaid.parse(text);
  const diagram = await mermaid.mermaidAPI.getDiagramFromText(text);
  expect(diagram.type).toBe('flowchart-v2');
  const db = diagram.db as any;
  return {
    vertices: [...db.getVertices().values()].map((v: { id: string; text: string }) => ({ id: v.id, text: v.text })),
    subgraphs: db.getSubGraphs().map((s: { id: string; title: string; nodes: string[] }) => ({ id: s.id, title: s.title, nodes: s.nodes })),
    edges: db.getEdges().map((e: { start: string; end: string; text: string }) => ({ start: e.start, end: e.end, text: e.text })),
  };
}

describe('the mermaid parser the tests rely on', () => {
  it('rejects a broken flowchart', async () => {
    await expect(parseFlowchart('flowchart TB\n  a["open label --> b')).rejects.toThrow(/Parse error/);
  });

  it('reports a node an edge invents (the diagrams must declare every node with a label)', async () => {
    const parsed = await parseFlowchart('flowchart TB\n  a["A"]\n  a --> typo\n');
    expect(parsed.vertices.find((v) => v.id === 'typo')?.text).toBe('typo');
  });
});

describe.each(Object.entries(ANSWER_SETS))('docs/ of a platform: %s', (_set, answers) => {
  const platform: Platform = resolvePlatform(answers);
  const docs = docsOf(answers);

  describe('architecture.md', () => {
    const blocks = mermaidBlocks(docs['architecture.md']);
    let account: ParsedFlowchart;
    let cluster: ParsedFlowchart;
    beforeAll(async () => {
      [account, cluster] = await Promise.all(blocks.map(parseFlowchart));
    });

    it('has two mermaid diagrams: the account, and inside a cluster', () => {
      expect(blocks).toHaveLength(2);
    });

    it('shows every stack as a group of the account diagram, in its environment', () => {
      const titles = account.subgraphs.map((s) => s.title);
      for (const stack of stackNames(platform)) expect(titles).toContain(`stack: ${stack}`);
      for (const environment of platform.environments) {
        const group = account.subgraphs.find((s) => s.title.startsWith(`${environment.name} (`))!;
        if (environment.target) {
          // Outside the account: the cluster, its one stack, its secrets backend and its object store.
          expect(account.subgraphs.find((s) => s.id === 'account')!.nodes).not.toContain(group.id);
          expect(group.nodes.sort()).toEqual([`${environment.name}_cluster`, `stack_${environment.name}_services`, `${environment.name}_secrets`, ...(environment.target.objectStorage ? [`${environment.name}_objects`] : [])].sort());
        } else expect(group.nodes.sort()).toEqual(['network', 'cluster', 'services-aws', 'services'].map((k) => `stack_${environment.name}_${k.replace('-', '_')}`).sort());
      }
    });

    it("shows each environment's VPC range, cluster name and node type", () => {
      const texts = account.vertices.map((v) => v.text).join('\n');
      for (const environment of platform.environments) {
        if (environment.target) {
          expect(texts).toContain(`context ${environment.target.context}`);
          continue;
        }
        expect(texts).toContain(`VPC ${environment.vpcCidr}`);
        expect(texts).toContain(`EKS ${clusterName(platform, environment)}`);
        expect(texts).toContain(environment.nodes.instanceTypes[0]);
      }
    });

    it('shows every selected supporting service and every team service in the cluster diagram, and no other', () => {
      const texts = cluster.vertices.map((v) => v.text.split('<br>')[0]);
      for (const service of SUPPORTING_SERVICES)
        expect(texts.includes(supportingService(service).title), service).toBe(platform.supportingServices.includes(service));
      for (const service of platform.services) expect(texts).toContain(service.name);
    });

    it('declares every node it links (no node made up by an edge)', () => {
      for (const chart of [account, cluster]) {
        const groups = new Set(chart.subgraphs.map((s) => s.id));
        for (const vertex of chart.vertices) if (!groups.has(vertex.id)) expect(vertex.text, vertex.id).not.toBe(vertex.id);
        for (const edge of chart.edges) for (const end of [edge.start, edge.end]) expect(groups.has(end) || chart.vertices.some((v) => v.id === end), end).toBe(true);
      }
    });

    it('links the services that talk to each other, and the routes only with NGINX', () => {
      const has = (s: string) => platform.supportingServices.includes(s as never);
      const linked = (from: string, to: string) => cluster.edges.some((e) => e.start === `svc_${from}` && e.end === `svc_${to}`);
      expect(linked('hydra', 'postgresql')).toBe(has('hydra') && has('postgresql'));
      expect(linked('grafana', 'loki')).toBe(has('grafana') && has('loki'));
      const routes = supportingPlan(platform, platform.environments[0]).routes;
      for (const route of routes) expect(linked('nginx', route.name)).toBe(true);
      expect(cluster.edges.some((e) => e.start === 'internet')).toBe(has('nginx'));
    });
  });

  it('docs/README.md links every page, and every link between the pages resolves', () => {
    expect(Object.keys(docs).sort()).toEqual(
      [
        'README.md',
        'alerts.md',
        'architecture.md',
        'bootstrap.md',
        'ci.md',
        'disaster-recovery.md',
        'cost.md',
        'deploy.md',
        'dns.md',
        'getting-started.md',
        'gitops.md',
        'policy.md',
        'services.md',
        'teardown.md',
        'upgrade.md',
        'vpn.md',
        // Only where an environment runs on an existing cluster.
        ...(platform.environments.some((e) => e.target) ? ['existing-clusters.md'] : []),
      ].sort(),
    );
    for (const [file, text] of Object.entries(docs))
      for (const [, target] of text.matchAll(/\]\(([a-z-]+\.md)(#[a-z0-9-]+)?\)/g)) expect(docs[posix.basename(target)], `${file} links ${target}`).toBeDefined();
    for (const file of Object.keys(docs)) if (file !== 'README.md') expect(docs['README.md']).toContain(`](${file})`);
  });

  it("alerts.md has a runbook section for every alert rule, at the anchor the rule's runbook_url names", () => {
    const text = docs['alerts.md'];
    for (const environment of platform.environments)
      for (const rule of alertGroups(platform, environment).flatMap((g) => g.rules)) {
        expect(text).toContain(`\n### ${rule.alert}\n`);
        expect(runbookUrl(platform, rule.alert)).toBe(`https://github.com/${platform.github.owner}/${platform.github.repository}/blob/main/docs/alerts.md#${rule.alert.toLowerCase()}`);
      }
    expect(text.includes('## Set up the receiver')).toBe(platform.alerts.receiver !== 'none');
  });

  it('renders no empty value', () => {
    for (const [file, text] of Object.entries(docs)) expect(text, file).not.toMatch(/undefined|\[object Object\]|\{\{/);
  });

  it('README.md names only the selected services it says how to reach', () => {
    const index = docs['README.md'];
    for (const [service, name] of [['grafana', 'Grafana'], ['hydra', 'Hydra'], ['kratos', 'Kratos'], ['oathkeeper', 'Oathkeeper']] as const)
      expect(index.includes(name), service).toBe(platform.supportingServices.includes(service));
  });

  it('services.md: every selected service with its pinned chart versions, and how to reach Grafana, Hydra and Kratos', () => {
    const text = docs['services.md'];
    expect(text).toContain(`| Kubernetes | \`<env>-cluster\` (EKS) | ${platform.kubernetesVersion} |`);
    for (const service of platform.supportingServices)
      for (const chart of Object.keys(supportingService(service).charts)) expect(text).toContain(`${chartPin(chart).chart} ${chartPin(chart).version}`);
    const routed = platform.supportingServices.includes('nginx');
    const scheme = platform.supportingServices.includes('cert-manager') ? 'https' : 'http';
    for (const environment of platform.environments) {
      expect(text).toContain(environment.target ? `kubectl config use-context ${environment.target.context}` : `--name ${clusterName(platform, environment)}`);
      const { hosts } = supportingPlan(platform, environment);
      for (const host of Object.values(hosts)) expect(text.includes(`${scheme}://${host}/`)).toBe(routed);
    }
    const has = (s: string) => platform.supportingServices.includes(s as never);
    expect(text.includes('kubectl -n ory port-forward svc/hydra-admin 4445:4445')).toBe(has('hydra'));
    expect(text.includes('kubectl -n ory port-forward svc/kratos-admin')).toBe(has('kratos'));
    expect(text.includes('get secret grafana-admin')).toBe(has('grafana'));
    expect(text.includes('port-forward svc/grafana 3000:80')).toBe(has('grafana') && !routed);
  });

  it('teardown.md: what Argo CD installed (and controllers made) first, then each environment in reverse, its stacks in reverse, then shared and bootstrap', () => {
    const text = docs['teardown.md'];
    const destroyed = [...text.matchAll(/cd cdktf\.out\/stacks\/([a-z0-9-]+) && terraform init && terraform destroy/g)].map((m) => m[1]);
    expect(destroyed).toEqual([...stackNames(platform)].reverse().filter((s) => s !== 'bootstrap'));
    for (const environment of platform.environments) {
      const section = text.slice(text.indexOf(`### \`${environment.name}\``));
      const kubectl = environment.target ? `kubectl --context ${environment.target.context}` : 'kubectl';
      const cleanup = section.indexOf(`${kubectl} -n argocd delete applications.argoproj.io --all`);
      expect(cleanup).toBeGreaterThan(0);
      expect(cleanup).toBeLessThan(section.indexOf(`${environment.name}-services && terraform init && terraform destroy`));
      // An existing cluster's load balancers and volumes are not in AWS.
      if (environment.target) {
        expect(section.slice(0, section.indexOf('\n### '))).not.toContain('aws elbv2');
        continue;
      }
      expect(section.indexOf('aws elbv2 describe-load-balancers')).toBeLessThan(section.indexOf(`${environment.name}-cluster && terraform init && terraform destroy`));
      expect(section).toContain(`kubernetes.io/cluster/${clusterName(platform, environment)}`);
    }
    expect(text).toContain('bootstrap.md#tearing-down');
    expect(text.includes('`prevent_destroy`, on purpose')).toBe(platform.environments.some((e) => e.tier === 'production') && platform.supportingServices.some((s) => s === 'loki' || s === 'postgresql'));
  });

  it('getting-started.md: the steps in order, with this platform\'s names', () => {
    const text = docs['getting-started.md'];
    const order = ['npx projen bootstrap', 'cdktf.out/stacks/shared && terraform init && terraform apply', 'GitHub Environments', 'aws eks update-kubeconfig'];
    const at = order.map((step) => text.indexOf(step));
    expect(at.every((i) => i > 0)).toBe(true);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
    expect(text).toContain(platform.stateBucket);
    expect(text).toContain(`${platform.github.owner}/${platform.github.repository}`);
    // With a Route 53 zone, external-dns keeps the records; without one, a person points the names at the Gateway.
    const routed = platform.supportingServices.includes('nginx');
    expect(text.includes('Point DNS at the load balancer')).toBe(routed && platform.dns.zone === 'none');
    expect(text.includes('Check DNS')).toBe(routed && platform.dns.zone !== 'none');
  });

  it('cost.md: the budget of each environment and of the platform, and that the tags must be active', () => {
    const text = docs['cost.md'];
    // No budget on an existing cluster (nothing of it is billed by AWS).
    for (const e of platform.environments.filter((e) => !e.target))
      expect(text).toContain(`| \`${platform.name}-${e.name}\` | \`environment = ${e.name}\` | \`${e.name}-network\` | ${formatUsd(environmentBudget(platform, e).limitUsd)} |`);
    expect(text).toContain(`| \`${platform.name}\` | \`platform = ${platform.name}\` | \`shared\` | ${formatUsd(platformBudget(platform).limitUsd)} |`);
    expect(text).toContain('every budget shows $0');
  });

  it('vpn.md: how to connect, add and revoke a person where there is a VPN, or how to get one', () => {
    const text = docs['vpn.md'];
    const withVpn = platform.environments.filter((e) => e.vpn);
    if (!withVpn.length) {
      expect(text).toContain('No environment has a VPN');
      return;
    }
    for (const e of withVpn) {
      expect(text).toContain(`| \`${e.name}\` | \`${platform.name}-${e.name}-vpn\``);
      expect(text).toContain(`bash scripts/vpn-certificates.sh ${e.name} init`);
    }
    for (const step of ['## Add a person', '## Revoke a person', 'client alice', 'revoke alice']) expect(text).toContain(step);
  });

  it('dns.md: the zones and the delegation this platform has, or how to get them', () => {
    const text = docs['dns.md'];
    if (platform.dns.zone === 'none') {
      expect(text).toContain('the kit creates no DNS records');
      return;
    }
    for (const e of platform.environments) expect(text.includes(`| \`${e.name}\` | \`${e.name}.${platform.domain}\` |`), e.name).toBe(!e.target);
    expect(text.includes('terraform output -json zone_name_servers')).toBe(platform.dns.zone === 'create');
    expect(text.includes(`to \`${platform.dns.zoneId}\``)).toBe(platform.dns.zone === 'existing');
    expect(text.includes('one certificate for `*.<env>.')).toBe(platform.supportingServices.includes('cert-manager'));
  });

  it('cost.md: the estimate of @platform-kit/config, group by group, with the date and every assumption; or why there is none', () => {
    const text = docs['cost.md'];
    const estimate = estimateCost(platform);
    if (!estimate) {
      expect(text).toContain(`No cost estimate: platform-kit's price table has no prices for ${platform.aws.region} yet`);
      expect(text).not.toContain('| **total** |');
      return;
    }
    expect(text).toContain(`| **total** | **${formatUsd(estimate.totalMonthlyUsd)}** |`);
    for (const group of estimate.groups) {
      expect(text).toContain(`| \`${group.name}\` | ${formatUsd(group.monthlyUsd)} |`);
      expect(text).toContain(`## \`${group.name}\`: ${formatUsd(group.monthlyUsd)}`);
      for (const line of group.lines) expect(text).toContain(`| ${line.item} | ${line.quantity} | ${line.unitPrice} | ${formatUsd(line.monthlyUsd)} |`);
    }
    expect(text).toContain(`dated **${PRICES_AS_OF}**`);
    for (const assumption of COST_ASSUMPTIONS) expect(text).toContain(`- ${assumption}`);
    expect(text.includes('`natGateways: single` saves $')).toBe(platform.environments.some((e) => e.natGateways === 'per-az'));
  });

  it('policy.md: every rule with its severity', () => {
    for (const rule of POLICY_RULES) expect(docs['policy.md']).toContain(`\`${rule.id}\``);
  });

  it('upgrade.md: the kit upgrade commands and the Kubernetes version', () => {
    expect(docs['upgrade.md']).toContain('npx create-platform@latest upgrade --dry-run');
    expect(docs['upgrade.md']).toContain(`runs Kubernetes ${platform.kubernetesVersion}`);
  });
});


describe('existing-clusters.md', () => {
  const answers = ANSWER_SETS['existing clusters'];
  const platform = resolvePlatform(answers);
  const text = docsOf(answers)['existing-clusters.md'];
  const section = (env: string) => text.slice(text.indexOf(`## \`${env}\``), text.indexOf('\n## ', text.indexOf(`## \`${env}\``) + 1));
  const [dev, qa] = platform.environments;

  it('is only written where an environment runs on an existing cluster', () => {
    expect(docsOf(ANSWER_SETS.minimal)['existing-clusters.md']).toBeUndefined();
    expect(text).toContain('`dev`, `qa` run on');
  });

  it('says how to reach each cluster, locally and from CI', () => {
    expect(section('dev')).toContain('kubectl --context office get nodes');
    expect(section('dev')).toContain('its secret `KUBECONFIG`');
    expect(section('qa')).toContain('`CLUSTER_RUNNER_QA`');
  });

  it('lists the DNS records to make by hand, the node ports for the balancer, and the buckets with a key each', () => {
    for (const env of [dev, qa]) {
      const plan = supportingPlan(platform, env);
      for (const host of [...plan.routes.map((r) => r.host), `web.${env.name}.mixed.example.com`]) expect(section(env.name)).toContain(`- \`${host}\``);
    }
    expect(section('dev')).toMatch(/port 80 to node port `30080` and port 443 to node port\s+`30443`/);
    for (const bucket of Object.values(supportingPlan(platform, dev).buckets)) expect(section('dev')).toContain(`| \`${bucket}\` |`);
    expect(section('qa')).toContain('`qa` has no object storage. Loki keeps its logs on one volume');
  });

  it('puts every provided value in the cluster, and with Vault every stored value, generated ones included', () => {
    const devPlan = supportingPlan(platform, dev);
    for (const secret of devPlan.secrets.filter((s) => Object.keys(s.provided ?? {}).length))
      expect(section('dev')).toContain(`kubectl --context office -n platform-secrets create secret generic ${secret.id} `);
    expect(section('dev')).toContain("kubectl --context office -n platform-apps-secrets create secret generic web --from-literal=TOKEN='<TOKEN>'");
    const qaPlan = supportingPlan(platform, qa);
    for (const secret of qaPlan.secrets.filter((s) => Object.keys(s.generated).length + Object.keys(s.provided ?? {}).length))
      expect(section('qa')).toContain(`vault kv put -mount=secret mixed/qa/${secret.id} `);
    expect(section('qa')).toContain("vault kv put -mount=secret mixed/qa/apps/web TOKEN='<TOKEN>'");
    expect(section('qa')).toContain('vault write auth/kubernetes/role/mixed-qa bound_service_account_names=external-secrets');
    expect(section('qa')).toContain('path "secret/data/mixed/qa/apps/*" { capabilities = ["read"] }');
  });

  it('says how the images are pulled: with the issuer where it is answered, by a secret a person makes elsewhere', () => {
    expect(section('dev')).toContain('`arn:aws:iam::123456789012:role/mixed/ci/mixed-dev-ecr-pull`');
    expect(section('qa')).toContain('create secret docker-registry ecr-pull');
  });

  it('has only shell blocks that bash parses (and shellcheck passes where installed)', () => {
    const blocks = [...text.matchAll(/^```sh\n([\s\S]*?)^```$/gm)].map((m) => m[1]);
    expect(blocks.length).toBeGreaterThan(6);
    const shellcheck = spawnSync('shellcheck', ['--version']).error === undefined;
    if (!shellcheck) console.warn('shellcheck not installed: the shell blocks of existing-clusters.md were only checked with bash -n');
    for (const block of blocks) {
      expect(spawnSync('bash', ['-n'], { input: block, encoding: 'utf8' }).stderr, block).toBe('');
      if (shellcheck) expect(spawnSync('shellcheck', ['-s', 'bash', '-'], { input: block, encoding: 'utf8' }).stdout, block).toBe('');
    }
  });
});
