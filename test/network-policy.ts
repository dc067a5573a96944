/*
 * A small evaluator of Kubernetes NetworkPolicy (networking.k8s.io/v1) ingress semantics, so tests can prove which
 * pods may reach which without a cluster. It follows the API reference and the reference implementation
 * (kubernetes-sigs/kube-network-policies):
 *   - a pod is isolated for ingress iff some policy in its namespace selects it and has Ingress in its (defaulted)
 *     policyTypes; an unisolated pod accepts everything;
 *   - an isolated pod accepts a connection iff at least one ingress rule of one of those policies matches it (union);
 *   - a rule matches iff one of its `from` peers matches the source AND one of its `ports` matches (absent or empty
 *     list = everything).
 * Deliberately not modelled (a verdict never accounts for them):
 *   - ipBlock peers never match a pod. Many CNIs do match pod IPs against ipBlock, so a policy with an ipBlock covering
 *     the pod CIDR can admit pods this evaluator reports as denied;
 *   - traffic from the pod's own node (always allowed), hostNetwork pods, a pod talking to itself, egress policies of
 *     the source pod, and the CNI actually enforcing NetworkPolicy at all.
 * Anything malformed or outside the model (unknown fields, operators, protocols, kinds) throws instead of guessing.
 */

export type Protocol = 'TCP' | 'UDP' | 'SCTP';

export interface ContainerPort {
  name?: string;
  port: number;
  protocol?: Protocol;
}

export interface Pod {
  namespace: string;
  labels: Record<string, string>;
  /** Container ports (of all containers), needed only to resolve named ports. */
  ports?: ContainerPort[];
}

/** `kubernetes.io/metadata.name` is added automatically, as the API server does. */
export interface Namespace {
  name: string;
  labels: Record<string, string>;
}

export interface LabelSelectorRequirement {
  key: string;
  operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';
  values?: string[] | null;
}

export interface LabelSelector {
  matchLabels?: Record<string, string> | null;
  matchExpressions?: LabelSelectorRequirement[] | null;
}

export interface NetworkPolicyPeer {
  podSelector?: LabelSelector | null;
  namespaceSelector?: LabelSelector | null;
  ipBlock?: { cidr: string; except?: string[] | null } | null;
}

export interface NetworkPolicyPort {
  protocol?: Protocol | null;
  port?: number | string | null;
  endPort?: number | null;
}

export interface NetworkPolicyIngressRule {
  from?: NetworkPolicyPeer[] | null;
  ports?: NetworkPolicyPort[] | null;
}

export interface NetworkPolicy {
  apiVersion: 'networking.k8s.io/v1';
  kind: 'NetworkPolicy';
  metadata: { name: string; namespace?: string; [key: string]: unknown };
  spec: {
    podSelector?: LabelSelector | null;
    policyTypes?: ('Ingress' | 'Egress')[] | null;
    ingress?: NetworkPolicyIngressRule[] | null;
    /** Only its presence matters here (it defaults policyTypes); egress is not evaluated. */
    egress?: unknown[] | null;
  };
}

const PROTOCOLS: readonly string[] = ['TCP', 'UDP', 'SCTP'];
const NAME_LABEL = 'kubernetes.io/metadata.name';

class NetworkPolicyModelError extends Error {}

function fail(where: string, message: string): never {
  throw new NetworkPolicyModelError(`${where}: ${message}`);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A field we do not know might change the meaning (a newer API version, a typo): refuse rather than ignore it. */
function checkKeys(obj: unknown, allowed: readonly string[], where: string): Record<string, unknown> {
  if (!isObject(obj)) fail(where, `expected an object, got ${JSON.stringify(obj)}`);
  const unknown = Object.keys(obj).filter((k) => !allowed.includes(k));
  if (unknown.length > 0) fail(where, `unsupported field(s) ${unknown.join(', ')}`);
  return obj;
}

/** Go decodes null and absent alike into a nil slice. */
function list<T>(value: T[] | null | undefined, where: string): T[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) fail(where, `expected a list, got ${JSON.stringify(value)}`);
  return value;
}

function checkLabels(labels: unknown, where: string): Record<string, string> {
  if (!isObject(labels)) fail(where, 'labels must be an object');
  for (const [k, v] of Object.entries(labels)) if (typeof v !== 'string') fail(where, `label ${k} must be a string (YAML may have parsed it as ${typeof v})`);
  return labels as Record<string, string>;
}

function checkPortNumber(port: unknown, where: string): number {
  if (typeof port !== 'number' || !Number.isInteger(port) || port < 1 || port > 65535)
    fail(where, `port must be an integer in 1-65535, got ${JSON.stringify(port)}`);
  return port;
}

/** IANA_SVC_NAME, as the API server validates a named port: a quoted "8080" is rejected there, so reject it here. */
function checkPortName(name: string, where: string): string {
  if (!/^[a-z0-9]([a-z0-9-]{0,13}[a-z0-9])?$/.test(name) || name.includes('--') || !/[a-z]/.test(name)) fail(where, `invalid port name ${JSON.stringify(name)}`);
  return name;
}

function checkProtocol(protocol: unknown, where: string): Protocol {
  if (protocol === undefined || protocol === null) return 'TCP';
  if (typeof protocol !== 'string' || !PROTOCOLS.includes(protocol)) fail(where, `unsupported protocol ${JSON.stringify(protocol)}`);
  return protocol as Protocol;
}

/** matchLabels AND every matchExpression; `{}` matches everything. */
export function selectorMatches(selector: LabelSelector, labels: Record<string, string>, where = 'selector'): boolean {
  checkKeys(selector, ['matchLabels', 'matchExpressions'], where);
  const matchLabels = selector.matchLabels === undefined || selector.matchLabels === null ? {} : checkLabels(selector.matchLabels, `${where}.matchLabels`);
  // map, not every: check each requirement even after a mismatch, so a malformed one throws in every test.
  const hits = list(selector.matchExpressions, `${where}.matchExpressions`).map((req, i) => {
    const at = `${where}.matchExpressions[${i}]`;
    checkKeys(req, ['key', 'operator', 'values'], at);
    if (typeof req.key !== 'string' || req.key === '') fail(at, 'key must be a non-empty string');
    const values = list(req.values, `${at}.values`);
    if (!values.every((v) => typeof v === 'string')) fail(at, 'values must be strings');
    const has = Object.prototype.hasOwnProperty.call(labels, req.key);
    switch (req.operator) {
      case 'In':
      case 'NotIn': {
        if (values.length === 0) fail(at, `${req.operator} needs at least one value`);
        const isIn = has && values.includes(labels[req.key]);
        // NotIn also matches objects without the key at all.
        return req.operator === 'In' ? isIn : !isIn;
      }
      case 'Exists':
      case 'DoesNotExist':
        if (values.length > 0) fail(at, `${req.operator} takes no values`);
        return req.operator === 'Exists' ? has : !has;
      default:
        // Gt/Lt exist only for node selectors; anything else is a typo.
        return fail(at, `unsupported operator ${JSON.stringify(req.operator)}`);
    }
  });
  return Object.entries(matchLabels).every(([k, v]) => labels[k] === v) && !hits.includes(false);
}

function namespaceLabels(namespaces: Namespace[], name: string): Record<string, string> {
  const ns = namespaces.find((n) => n.name === name) ?? fail('namespaces', `unknown namespace ${JSON.stringify(name)}`);
  const labels = checkLabels(ns.labels, `namespace ${name}`);
  // The API server sets this label to the name and nothing else can win: a different value is a modelling mistake.
  if (labels[NAME_LABEL] !== undefined && labels[NAME_LABEL] !== name) fail(`namespace ${name}`, `${NAME_LABEL} must equal the namespace name`);
  return { ...labels, [NAME_LABEL]: name };
}

function checkPod(pod: Pod, namespaces: Namespace[], where: string): void {
  checkKeys(pod, ['namespace', 'labels', 'ports'], where);
  checkLabels(pod.labels, `${where}.labels`);
  namespaceLabels(namespaces, pod.namespace); // a pod in an undeclared namespace is a typo, not "no labels"
  list(pod.ports, `${where}.ports`).forEach((p, i) => {
    const at = `${where}.ports[${i}]`;
    checkKeys(p, ['name', 'port', 'protocol'], at);
    checkPortNumber(p.port, at);
    checkProtocol(p.protocol, at);
    if (p.name !== undefined) checkPortName(p.name, at);
  });
}

interface Traffic {
  readonly port: number;
  readonly protocol: Protocol;
}

/** A named destination port is looked up in `to`'s container ports, protocol included. */
function resolveTraffic(to: Pod, port: number | string, protocol: Protocol | undefined): Traffic {
  if (typeof port === 'number') return { port: checkPortNumber(port, 'port'), protocol: checkProtocol(protocol, 'protocol') };
  const candidates = list(to.ports, 'to.ports').filter((p) => p.name === port && (protocol === undefined || checkProtocol(p.protocol, 'to.ports') === protocol));
  if (candidates.length !== 1)
    fail('port', `named port ${JSON.stringify(port)}${protocol ? `/${protocol}` : ''} matches ${candidates.length} ports of the destination pod`);
  return { port: candidates[0].port, protocol: checkProtocol(candidates[0].protocol, 'to.ports') };
}

function portMatches(policyPort: NetworkPolicyPort, to: Pod, traffic: Traffic, where: string): boolean {
  checkKeys(policyPort, ['protocol', 'port', 'endPort'], where);
  const protocol = checkProtocol(policyPort.protocol, where);
  const { port, endPort } = policyPort;
  const hasEndPort = endPort !== undefined && endPort !== null;
  if (port === undefined || port === null) {
    if (hasEndPort) fail(where, 'endPort needs a numeric port');
    return protocol === traffic.protocol; // every port of that protocol
  }
  if (typeof port === 'string') {
    checkPortName(port, where);
    if (hasEndPort) fail(where, 'endPort cannot be used with a named port');
    // Resolved against the destination pod: its port of that name, number and protocol (kube-network-policies).
    const declared = list(to.ports, 'to.ports').some((p) => p.name === port && p.port === traffic.port && checkProtocol(p.protocol, 'to.ports') === traffic.protocol);
    return protocol === traffic.protocol && declared;
  }
  const start = checkPortNumber(port, where);
  const end = hasEndPort ? checkPortNumber(endPort, `${where}.endPort`) : start;
  if (end < start) fail(where, 'endPort must be >= port');
  return protocol === traffic.protocol && traffic.port >= start && traffic.port <= end;
}

function peerMatches(peer: NetworkPolicyPeer, policyNamespace: string, namespaces: Namespace[], from: Pod, where: string): boolean {
  checkKeys(peer, ['podSelector', 'namespaceSelector', 'ipBlock'], where);
  const set = (v: unknown) => v !== undefined && v !== null;
  const { podSelector, namespaceSelector, ipBlock } = peer;
  if (!set(podSelector) && !set(namespaceSelector) && !set(ipBlock)) fail(where, 'a peer must set podSelector, namespaceSelector or ipBlock');
  if (set(ipBlock)) {
    if (set(podSelector) || set(namespaceSelector)) fail(where, 'ipBlock cannot be combined with selectors');
    checkKeys(ipBlock, ['cidr', 'except'], `${where}.ipBlock`);
    if (typeof ipBlock?.cidr !== 'string') fail(`${where}.ipBlock`, 'cidr must be a string');
    return false; // pod IPs are not modelled: see the header
  }
  // namespaceSelector picks the namespaces (alone: every pod in them); without it only the policy's own namespace counts.
  const nsOk = namespaceSelector
    ? selectorMatches(namespaceSelector, namespaceLabels(namespaces, from.namespace), `${where}.namespaceSelector`)
    : from.namespace === policyNamespace;
  // Both set in one peer = AND; podSelector alone = pods of the policy's namespace.
  const podOk = podSelector ? selectorMatches(podSelector, from.labels, `${where}.podSelector`) : true;
  return nsOk && podOk;
}

interface IngressPolicy {
  readonly where: string;
  readonly namespace: string;
  readonly podSelector: LabelSelector;
  readonly restrictsIngress: boolean;
  readonly rules: NetworkPolicyIngressRule[];
}

function readPolicy(policy: NetworkPolicy, index: number): IngressPolicy {
  let where = `policies[${index}]`;
  if (!isObject(policy)) fail(where, 'expected a NetworkPolicy object');
  if (policy.kind !== 'NetworkPolicy' || policy.apiVersion !== 'networking.k8s.io/v1')
    fail(where, `expected networking.k8s.io/v1 NetworkPolicy, got ${String(policy.apiVersion)} ${String(policy.kind)}`);
  if (!isObject(policy.metadata) || typeof policy.metadata.name !== 'string') fail(where, 'metadata.name is required');
  // Without a namespace kubectl would use the context's: the manifest alone does not say where it applies.
  if (typeof policy.metadata.namespace !== 'string' || policy.metadata.namespace === '') fail(where, 'metadata.namespace is required');
  where = `NetworkPolicy ${policy.metadata.namespace}/${policy.metadata.name}`;
  const spec = checkKeys(policy.spec, ['podSelector', 'policyTypes', 'ingress', 'egress'], `${where} spec`) as NetworkPolicy['spec'];
  const types = list(spec.policyTypes, `${where} spec.policyTypes`);
  if (types.some((t) => t !== 'Ingress' && t !== 'Egress') || new Set(types).size !== types.length) fail(where, `invalid policyTypes ${JSON.stringify(types)}`);
  list(spec.egress, `${where} spec.egress`);
  return {
    where,
    namespace: policy.metadata.namespace,
    // spec.podSelector is a non-pointer struct in Go: absent or null decodes to the empty selector (all pods).
    podSelector: spec.podSelector ?? {},
    // An empty policyTypes is defaulted by the API server: Ingress always (Egress only with egress rules, irrelevant here).
    restrictsIngress: types.length === 0 || types.includes('Ingress'),
    rules: list(spec.ingress, `${where} spec.ingress`),
  };
}

/**
 * Whether `from` may open a connection to `to` on `port` (a number, or the name of one of `to`'s container ports),
 * as far as the ingress side of NetworkPolicy decides. Egress policies of `from` are not considered.
 */
export function ingressAllowed(policies: NetworkPolicy[], namespaces: Namespace[], from: Pod, to: Pod, port: number | string, protocol?: Protocol): boolean {
  const names = namespaces.map((n) => n.name);
  if (new Set(names).size !== names.length) fail('namespaces', 'duplicate namespace');
  checkPod(from, namespaces, 'from');
  checkPod(to, namespaces, 'to');
  const traffic = resolveTraffic(to, port, protocol === undefined ? undefined : checkProtocol(protocol, 'protocol'));
  // Evaluate every rule of every policy, selecting or not, so a malformed manifest throws in every test, not just some.
  let isolated = false;
  let allowed = false;
  for (const policy of policies.map(readPolicy)) {
    const selects = policy.namespace === to.namespace && selectorMatches(policy.podSelector, to.labels, `${policy.where} spec.podSelector`);
    const ruleHits = policy.rules.map((rule, i) => {
      const at = `${policy.where} spec.ingress[${i}]`;
      checkKeys(rule, ['from', 'ports'], at);
      const peers = list(rule.from, `${at}.from`).map((peer, j) => peerMatches(peer, policy.namespace, namespaces, from, `${at}.from[${j}]`));
      const ports = list(rule.ports, `${at}.ports`).map((p, j) => portMatches(p, to, traffic, `${at}.ports[${j}]`));
      // Peers OR'ed, ports OR'ed, the two AND'ed; an empty list matches everything.
      return (peers.length === 0 || peers.includes(true)) && (ports.length === 0 || ports.includes(true));
    });
    if (selects && policy.restrictsIngress) {
      isolated = true;
      allowed ||= ruleHits.includes(true);
    }
  }
  return !isolated || allowed;
}
