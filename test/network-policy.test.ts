import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { ingressAllowed, selectorMatches, type ContainerPort, type Namespace, type NetworkPolicy, type Pod } from './network-policy';

// Every case asserts an allowed and a denied connection, so a broken evaluator that always says yes (or no) fails it.

const NAMESPACES: Namespace[] = [
  { name: 'shop', labels: { team: 'shop' } },
  { name: 'monitoring', labels: { purpose: 'observability' } },
  { name: 'other', labels: {} },
];

function pod(namespace: string, labels: Record<string, string>, ports?: ContainerPort[]): Pod {
  return { namespace, labels, ports };
}

function policy(namespace: string, spec: NetworkPolicy['spec'], name = 'np'): NetworkPolicy {
  return { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name, namespace }, spec };
}

const api = pod('shop', { app: 'api' }, [{ name: 'http', port: 8080 }, { name: 'metrics', port: 9090 }, { name: 'dns', port: 53, protocol: 'UDP' }]);
const web = pod('shop', { app: 'web' });
const worker = pod('shop', { app: 'worker' });
const prometheus = pod('monitoring', { app: 'prometheus' });
const grafana = pod('monitoring', { app: 'grafana' });
const otherWeb = pod('other', { app: 'web' });
const otherPrometheus = pod('other', { app: 'prometheus' });

const allowed = (policies: NetworkPolicy[], from: Pod, to: Pod, port: number | string, protocol?: 'TCP' | 'UDP' | 'SCTP') =>
  ingressAllowed(policies, NAMESPACES, from, to, port, protocol);

const DENY_ALL = policy('shop', { podSelector: {}, policyTypes: ['Ingress'] }, 'deny-all');

describe('isolation', () => {
  it('allows everything to a pod no policy selects, even when policies select its neighbours', () => {
    const onlyWorker = policy('shop', { podSelector: { matchLabels: { app: 'worker' } }, policyTypes: ['Ingress'] });
    expect(allowed([], web, api, 8080)).toBe(true);
    expect(allowed([onlyWorker], web, api, 8080)).toBe(true);
    expect(allowed([onlyWorker], web, worker, 8080)).toBe(false);
  });

  it('default deny: an empty podSelector with no rules isolates every pod of its own namespace only', () => {
    expect(allowed([DENY_ALL], web, api, 8080)).toBe(false);
    expect(allowed([DENY_ALL], prometheus, api, 8080)).toBe(false);
    expect(allowed([DENY_ALL], web, grafana, 3000)).toBe(true);
  });

  it('ingress: [{}] allows everything, ingress: [] nothing', () => {
    expect(allowed([policy('shop', { podSelector: {}, ingress: [{}] })], otherWeb, api, 1234)).toBe(true);
    expect(allowed([policy('shop', { podSelector: {}, ingress: [] })], otherWeb, api, 1234)).toBe(false);
  });

  it('treats an absent spec.podSelector as the empty selector (a non-pointer struct in Go)', () => {
    expect(allowed([policy('shop', { policyTypes: ['Ingress'] })], web, api, 8080)).toBe(false);
    expect(allowed([policy('shop', { policyTypes: ['Ingress'] })], web, prometheus, 8080)).toBe(true);
  });
});

describe('policyTypes', () => {
  const egressOnly = policy('shop', { podSelector: {}, policyTypes: ['Egress'], ingress: [] });
  const egressRulesNoTypes = policy('shop', { podSelector: {}, egress: [{}] });
  const both = policy('shop', { podSelector: {}, policyTypes: ['Ingress', 'Egress'], egress: [{}] });

  it('an Egress-only policy does not restrict ingress, even with an empty ingress list', () => {
    expect(allowed([egressOnly], otherWeb, api, 8080)).toBe(true);
    expect(allowed([egressOnly, DENY_ALL], otherWeb, api, 8080)).toBe(false);
  });

  it('absent policyTypes implies Ingress even when the policy only has egress rules', () => {
    expect(allowed([egressRulesNoTypes], web, api, 8080)).toBe(false);
    expect(allowed([policy('shop', { podSelector: {}, policyTypes: [], egress: [{}] })], web, api, 8080)).toBe(false);
    expect(allowed([egressRulesNoTypes], web, prometheus, 8080)).toBe(true);
  });

  it('Ingress and Egress together restrict ingress', () => {
    expect(allowed([both], web, api, 8080)).toBe(false);
    expect(allowed([both, policy('shop', { podSelector: {}, ingress: [{ from: [{ podSelector: {} }] }] })], web, api, 8080)).toBe(true);
  });
});

describe('peers', () => {
  it('podSelector alone matches pods of the policy namespace only', () => {
    const np = policy('shop', { podSelector: { matchLabels: { app: 'api' } }, ingress: [{ from: [{ podSelector: { matchLabels: { app: 'web' } } }] }] });
    expect(allowed([np], web, api, 8080)).toBe(true);
    expect(allowed([np], worker, api, 8080)).toBe(false);
    expect(allowed([np], otherWeb, api, 8080)).toBe(false);
  });

  it('an empty podSelector peer matches every pod of the policy namespace, and nothing outside it', () => {
    const np = policy('shop', { podSelector: {}, ingress: [{ from: [{ podSelector: {} }] }] });
    expect(allowed([np], worker, api, 8080)).toBe(true);
    expect(allowed([np], prometheus, api, 8080)).toBe(false);
  });

  it('namespaceSelector alone matches every pod of the namespaces it selects, by the implicit kubernetes.io/metadata.name', () => {
    const np = policy('shop', { podSelector: {}, ingress: [{ from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } } }] }] });
    expect(allowed([np], prometheus, api, 9090)).toBe(true);
    expect(allowed([np], grafana, api, 9090)).toBe(true);
    expect(allowed([np], otherPrometheus, api, 9090)).toBe(false);
    // The policy namespace gets no special treatment under a namespaceSelector.
    expect(allowed([np], web, api, 9090)).toBe(false);
  });

  it('namespaceSelector uses the declared namespace labels too, and {} selects every namespace', () => {
    const byLabel = policy('shop', { podSelector: {}, ingress: [{ from: [{ namespaceSelector: { matchLabels: { purpose: 'observability' } } }] }] });
    const anyNs = policy('shop', { podSelector: {}, ingress: [{ from: [{ namespaceSelector: {} }] }] });
    expect(allowed([byLabel], grafana, api, 80)).toBe(true);
    expect(allowed([byLabel], otherWeb, api, 80)).toBe(false);
    expect(allowed([anyNs], otherWeb, api, 80)).toBe(true);
    expect(allowed([anyNs], otherWeb, pod('other', {}), 80)).toBe(true); // not isolated
    expect(allowed([anyNs, policy('other', { podSelector: {} })], web, pod('other', {}), 80)).toBe(false);
  });

  it('both selectors in one peer are ANDed; in two list items they are ORed', () => {
    const monitoring = { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } };
    const prom = { matchLabels: { app: 'prometheus' } };
    const and = policy('shop', { podSelector: {}, ingress: [{ from: [{ namespaceSelector: monitoring, podSelector: prom }] }] });
    const or = policy('shop', { podSelector: {}, ingress: [{ from: [{ namespaceSelector: monitoring }, { podSelector: prom }] }] });
    const shopPrometheus = pod('shop', { app: 'prometheus' });

    expect(allowed([and], prometheus, api, 9090)).toBe(true);
    expect(allowed([and], grafana, api, 9090)).toBe(false); // right namespace, wrong pod
    expect(allowed([and], otherPrometheus, api, 9090)).toBe(false); // right pod, wrong namespace
    expect(allowed([and], shopPrometheus, api, 9090)).toBe(false);

    expect(allowed([or], prometheus, api, 9090)).toBe(true);
    expect(allowed([or], grafana, api, 9090)).toBe(true); // any pod of monitoring
    expect(allowed([or], shopPrometheus, api, 9090)).toBe(true); // podSelector alone: the policy namespace
    expect(allowed([or], otherPrometheus, api, 9090)).toBe(false);
  });

  it('a rule without from (or with an empty one) admits every source, still limited by its ports', () => {
    for (const rule of [{ ports: [{ port: 8080 }] }, { from: [], ports: [{ port: 8080 }] }]) {
      const np = policy('shop', { podSelector: {}, ingress: [rule] });
      expect(allowed([np], otherWeb, api, 8080)).toBe(true);
      expect(allowed([np], otherWeb, api, 8081)).toBe(false);
    }
  });

  it('an ipBlock peer never matches a pod (pod IPs are not modelled)', () => {
    const np = policy('shop', { podSelector: {}, ingress: [{ from: [{ ipBlock: { cidr: '0.0.0.0/0' } }, { podSelector: { matchLabels: { app: 'web' } } }] }] });
    expect(allowed([np], web, api, 8080)).toBe(true);
    expect(allowed([np], worker, api, 8080)).toBe(false);
  });
});

describe('ports', () => {
  const fromWebOn = (ports: NonNullable<NonNullable<NetworkPolicy['spec']['ingress']>[number]['ports']>) =>
    policy('shop', { podSelector: {}, ingress: [{ from: [{ podSelector: { matchLabels: { app: 'web' } } }], ports }] });

  it('a numeric port matches that port and TCP by default', () => {
    const np = fromWebOn([{ port: 8080 }]);
    expect(allowed([np], web, api, 8080)).toBe(true);
    expect(allowed([np], web, api, 8080, 'TCP')).toBe(true);
    expect(allowed([np], web, api, 8080, 'UDP')).toBe(false);
    expect(allowed([np], web, api, 8081)).toBe(false);
    expect(allowed([np], worker, api, 8080)).toBe(false); // ports and from are ANDed
  });

  it('a protocol without a port matches every port of that protocol', () => {
    const np = fromWebOn([{ protocol: 'UDP' }]);
    expect(allowed([np], web, api, 53, 'UDP')).toBe(true);
    expect(allowed([np], web, api, 1234, 'UDP')).toBe(true);
    expect(allowed([np], web, api, 53)).toBe(false);
  });

  it('a named port resolves against the destination pod, number and protocol', () => {
    const np = fromWebOn([{ port: 'http' }]);
    expect(allowed([np], web, api, 8080)).toBe(true);
    expect(allowed([np], web, api, 'http')).toBe(true);
    expect(allowed([np], web, api, 9090)).toBe(false);
    expect(allowed([np], web, api, 'metrics')).toBe(false);
    // The same number on a pod whose port 8080 is unnamed, or named differently, is not "http".
    expect(allowed([np], web, pod('shop', { app: 'api' }, [{ port: 8080 }]), 8080)).toBe(false);
    expect(allowed([np], web, pod('shop', { app: 'api' }, [{ name: 'web', port: 8080 }]), 8080)).toBe(false);
    // A named UDP container port does not match a rule that defaults to TCP.
    expect(allowed([fromWebOn([{ port: 'dns' }])], web, api, 'dns')).toBe(false);
    expect(allowed([fromWebOn([{ port: 'dns', protocol: 'UDP' }])], web, api, 'dns')).toBe(true);
    // The container port must carry the traffic's protocol too: a TCP "dns" port does not make UDP/53 "dns".
    const tcpDns = pod('shop', { app: 'dns' }, [{ name: 'dns', port: 53 }]);
    expect(allowed([fromWebOn([{ port: 'dns', protocol: 'UDP' }])], web, tcpDns, 53, 'UDP')).toBe(false);
    expect(allowed([fromWebOn([{ port: 'dns' }])], web, tcpDns, 53, 'TCP')).toBe(true);
  });

  it('endPort makes an inclusive range', () => {
    const np = fromWebOn([{ port: 8000, endPort: 8100 }]);
    for (const p of [8000, 8050, 8100]) expect(allowed([np], web, api, p)).toBe(true);
    for (const p of [7999, 8101]) expect(allowed([np], web, api, p)).toBe(false);
    expect(allowed([np], web, api, 8050, 'UDP')).toBe(false);
  });

  it('several ports of one rule are ORed', () => {
    const np = fromWebOn([{ port: 80 }, { port: 443 }]);
    expect(allowed([np], web, api, 443)).toBe(true);
    expect(allowed([np], web, api, 444)).toBe(false);
  });
});

describe('union of policies', () => {
  it('a connection is allowed when any rule of any selecting policy allows it', () => {
    const apiPods = { matchLabels: { app: 'api' } };
    const webOn8080 = policy('shop', { podSelector: apiPods, ingress: [{ from: [{ podSelector: { matchLabels: { app: 'web' } } }], ports: [{ port: 8080 }] }] }, 'web');
    const monitoring = { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } } };
    const scrape = policy('shop', { podSelector: apiPods, ingress: [{ from: [monitoring], ports: [{ port: 'metrics' }] }] }, 'scrape');
    const policies = [DENY_ALL, webOn8080, scrape];
    expect(allowed(policies, web, api, 8080)).toBe(true);
    expect(allowed(policies, prometheus, api, 9090)).toBe(true);
    expect(allowed(policies, web, api, 9090)).toBe(false);
    expect(allowed(policies, prometheus, api, 8080)).toBe(false);
    // The allow rules select api only: the deny-all still isolates worker.
    expect(allowed(policies, web, worker, 8080)).toBe(false);
  });

  it('ignores policies of other namespaces, whatever they select', () => {
    const elsewhere = policy('other', { podSelector: {}, ingress: [{ from: [{ namespaceSelector: {} }] }] });
    expect(allowed([DENY_ALL, elsewhere], otherWeb, api, 8080)).toBe(false);
    expect(allowed([elsewhere], web, otherWeb, 8080)).toBe(true);
  });
});

describe('label selectors', () => {
  it('In, NotIn, Exists and DoesNotExist; NotIn also matches a missing key', () => {
    const labels = { app: 'api', tier: 'backend' };
    expect(selectorMatches({ matchExpressions: [{ key: 'tier', operator: 'In', values: ['backend', 'db'] }] }, labels)).toBe(true);
    expect(selectorMatches({ matchExpressions: [{ key: 'tier', operator: 'In', values: ['frontend'] }] }, labels)).toBe(false);
    expect(selectorMatches({ matchExpressions: [{ key: 'zone', operator: 'In', values: ['a'] }] }, labels)).toBe(false);
    expect(selectorMatches({ matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['frontend'] }] }, labels)).toBe(true);
    expect(selectorMatches({ matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['backend'] }] }, labels)).toBe(false);
    expect(selectorMatches({ matchExpressions: [{ key: 'zone', operator: 'NotIn', values: ['a'] }] }, labels)).toBe(true);
    expect(selectorMatches({ matchExpressions: [{ key: 'app', operator: 'Exists' }] }, labels)).toBe(true);
    expect(selectorMatches({ matchExpressions: [{ key: 'zone', operator: 'Exists' }] }, labels)).toBe(false);
    expect(selectorMatches({ matchExpressions: [{ key: 'zone', operator: 'DoesNotExist' }] }, labels)).toBe(true);
    expect(selectorMatches({ matchExpressions: [{ key: 'app', operator: 'DoesNotExist' }] }, labels)).toBe(false);
    expect(selectorMatches({}, labels)).toBe(true);
    expect(selectorMatches({}, {})).toBe(true);
  });

  it('matchLabels and matchExpressions are ANDed', () => {
    const sel = { matchLabels: { app: 'api' }, matchExpressions: [{ key: 'tier', operator: 'In' as const, values: ['backend'] }] };
    expect(selectorMatches(sel, { app: 'api', tier: 'backend' })).toBe(true);
    expect(selectorMatches(sel, { app: 'api', tier: 'frontend' })).toBe(false);
    expect(selectorMatches(sel, { app: 'web', tier: 'backend' })).toBe(false);
  });

  it('applies matchExpressions in policy, pod and namespace selectors', () => {
    const np = policy('shop', {
      podSelector: { matchExpressions: [{ key: 'app', operator: 'In', values: ['api', 'worker'] }] },
      ingress: [
        { from: [{ podSelector: { matchExpressions: [{ key: 'app', operator: 'NotIn', values: ['worker'] }] } }] },
        {
          from: [
            { namespaceSelector: { matchExpressions: [{ key: 'purpose', operator: 'Exists' }] }, podSelector: { matchExpressions: [{ key: 'app', operator: 'DoesNotExist' }] } },
          ],
        },
      ],
    });
    expect(allowed([np], web, api, 80)).toBe(true);
    expect(allowed([np], pod('shop', {}), worker, 80)).toBe(true);
    expect(allowed([np], worker, api, 80)).toBe(false);
    expect(allowed([np], pod('monitoring', {}), api, 80)).toBe(true);
    expect(allowed([np], prometheus, api, 80)).toBe(false);
    expect(allowed([np], pod('other', {}), api, 80)).toBe(false);
    expect(allowed([np], worker, web, 80)).toBe(true); // web is not selected
  });
});

describe('parsed manifests', () => {
  it('evaluates policies parsed from YAML', () => {
    const yaml = `
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: default-deny, namespace: shop }
spec:
  podSelector: {}
  policyTypes: [Ingress]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: api, namespace: shop, labels: { app.kubernetes.io/part-of: shop } }
spec:
  podSelector:
    matchLabels: { app: api }
  ingress:
    - from:
        - namespaceSelector:
            matchLabels: { kubernetes.io/metadata.name: monitoring }
          podSelector:
            matchLabels: { app: prometheus }
      ports:
        - port: metrics
`;
    const policies = parseAllDocuments(yaml).map((d) => d.toJS() as NetworkPolicy);
    expect(allowed(policies, prometheus, api, 'metrics')).toBe(true);
    expect(allowed(policies, grafana, api, 'metrics')).toBe(false);
    expect(allowed(policies, prometheus, api, 'http')).toBe(false);
  });
});

describe('refuses what it does not model', () => {
  const run = (np: unknown, from: Pod = web, to: Pod = api, port: number | string = 8080) => () => ingressAllowed([np as NetworkPolicy], NAMESPACES, from, to, port);
  const withPeer = (peer: unknown) => policy('shop', { podSelector: {}, ingress: [{ from: [peer as never] }] });
  const withPort = (port: unknown) => policy('shop', { podSelector: {}, ingress: [{ ports: [port as never] }] });

  it('accepts the well-formed baseline of these cases', () => {
    expect(run(withPeer({ podSelector: {} }))()).toBe(true);
    expect(run(withPort({ port: 8080 }))()).toBe(true);
  });

  it('throws on malformed or unknown policy content', () => {
    expect(run({ ...DENY_ALL, kind: 'CiliumNetworkPolicy' })).toThrow(/NetworkPolicy/);
    expect(run({ ...DENY_ALL, metadata: { name: 'np' } })).toThrow(/metadata.namespace/);
    expect(run(policy('shop', { podSelector: {}, ingres: [] } as never))).toThrow(/unsupported field.*ingres/);
    expect(run(policy('shop', { podSelector: {}, policyTypes: ['ingress' as never] }))).toThrow(/policyTypes/);
    expect(run(withPeer({}))).toThrow(/must set/);
    expect(run(withPeer({ podSelectr: {} }))).toThrow(/unsupported field/);
    expect(run(withPeer({ ipBlock: { cidr: '10.0.0.0/8' }, podSelector: {} }))).toThrow(/ipBlock/);
    expect(run(withPeer({ podSelector: { matchExpressions: [{ key: 'a', operator: 'Gt', values: ['1'] }] } }))).toThrow(/operator/);
    expect(run(withPeer({ podSelector: { matchExpressions: [{ key: 'a', operator: 'In', values: [] }] } }))).toThrow(/at least one value/);
    expect(run(withPeer({ podSelector: { matchExpressions: [{ key: 'a', operator: 'Exists', values: ['x'] }] } }))).toThrow(/no values/);
    expect(run(withPeer({ podSelector: { matchLabels: { version: 1 } } }))).toThrow(/must be a string/);
    expect(run(withPort({ port: '8080' }))).toThrow(/invalid port name/);
    expect(run(withPort({ port: 0 }))).toThrow(/1-65535/);
    expect(run(withPort({ port: 8100, endPort: 8000 }))).toThrow(/endPort/);
    expect(run(withPort({ port: 'http', endPort: 8100 }))).toThrow(/endPort/);
    expect(run(withPort({ endPort: 8100 }))).toThrow(/endPort/);
    expect(run(withPort({ port: 80, protocol: 'ICMP' }))).toThrow(/protocol/);
  });

  it('throws even when the malformed part would not change the verdict', () => {
    // The first peer already matches and the policy lives elsewhere: the typo must still surface.
    const np = policy('shop', { podSelector: {}, ingress: [{ from: [{ podSelector: {} }, { namespaceSelectr: {} } as never] }] });
    expect(run(np)).toThrow(/unsupported field/);
    expect(run(np, otherWeb, otherWeb)).toThrow(/unsupported field/);
  });

  it('throws on unknown namespaces, unresolvable named ports and a conflicting metadata.name label', () => {
    expect(run(DENY_ALL, pod('nowhere', {}))).toThrow(/unknown namespace/);
    expect(run(DENY_ALL, web, api, 'grpc')).toThrow(/named port "grpc"/);
    const lying: Namespace[] = [...NAMESPACES, { name: 'fake', labels: { 'kubernetes.io/metadata.name': 'monitoring' } }];
    expect(() => ingressAllowed([], lying, pod('fake', {}), api, 80)).toThrow(/must equal the namespace name/);
    expect(() => ingressAllowed([], [...NAMESPACES, NAMESPACES[0]], web, api, 80)).toThrow(/duplicate namespace/);
  });
});
