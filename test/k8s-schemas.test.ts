import { describe, expect, it } from 'vitest';
import { validateManifest, validateYamlDocuments } from './k8s-schemas';

/*
 * The offline manifest validator (test/k8s-schemas.ts) must accept what a cluster accepts and, above all, be able
 * to fail: unknown kinds, misspelt fields, wrong types and missing names are all reported.
 */

const labels = { 'app.kubernetes.io/name': 'web' };

const deployment = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', namespace: 'apps', labels },
  spec: {
    replicas: 2,
    selector: { matchLabels: labels },
    template: {
      metadata: { labels },
      spec: {
        serviceAccountName: 'web',
        securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
        containers: [
          {
            name: 'web',
            image: 'public.ecr.aws/nginx/nginx:1.29',
            ports: [{ name: 'http', containerPort: 8080, protocol: 'TCP' }],
            resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '256Mi' } },
            readinessProbe: { httpGet: { path: '/healthz', port: 'http' }, periodSeconds: 10 },
            securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } },
          },
        ],
      },
    },
  },
};

const service = {
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name: 'web', namespace: 'apps', labels },
  spec: { type: 'ClusterIP', selector: labels, ports: [{ name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' }] },
};

const networkPolicy = {
  apiVersion: 'networking.k8s.io/v1',
  kind: 'NetworkPolicy',
  metadata: { name: 'web-ingress', namespace: 'apps' },
  spec: {
    podSelector: { matchLabels: labels },
    policyTypes: ['Ingress', 'Egress'],
    ingress: [
      {
        from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'gateway' } } }],
        ports: [{ protocol: 'TCP', port: 8080 }],
      },
    ],
    egress: [{ to: [{ ipBlock: { cidr: '10.0.0.0/16', except: ['10.0.99.0/24'] } }], ports: [{ protocol: 'TCP', port: 5432 }] }],
  },
};

const hpa = {
  apiVersion: 'autoscaling/v2',
  kind: 'HorizontalPodAutoscaler',
  metadata: { name: 'web', namespace: 'apps' },
  spec: {
    scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' },
    minReplicas: 2,
    maxReplicas: 10,
    metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } }],
    behavior: { scaleDown: { stabilizationWindowSeconds: 300 } },
  },
};

const pdb = {
  apiVersion: 'policy/v1',
  kind: 'PodDisruptionBudget',
  metadata: { name: 'web', namespace: 'apps' },
  spec: { minAvailable: 1, selector: { matchLabels: labels } },
};

const namespace = {
  apiVersion: 'v1',
  kind: 'Namespace',
  metadata: { name: 'apps', labels: { 'pod-security.kubernetes.io/enforce': 'restricted' } },
};

const serviceAccount = {
  apiVersion: 'v1',
  kind: 'ServiceAccount',
  metadata: {
    name: 'web',
    namespace: 'apps',
    annotations: { 'eks.amazonaws.com/role-arn': 'arn:aws:iam::123456789012:role/web' },
  },
  automountServiceAccountToken: false,
};

const application = {
  apiVersion: 'argoproj.io/v1alpha1',
  kind: 'Application',
  metadata: { name: 'web', namespace: 'argocd', finalizers: ['resources-finalizer.argocd.argoproj.io'] },
  spec: {
    project: 'default',
    sources: [
      {
        repoURL: 'https://github.com/example/platform.git',
        targetRevision: 'main',
        path: 'charts/web',
        helm: { valueFiles: ['$values/values/web/production.yaml'], releaseName: 'web' },
      },
      { repoURL: 'https://github.com/example/platform.git', targetRevision: 'main', ref: 'values' },
    ],
    destination: { server: 'https://kubernetes.default.svc', namespace: 'apps' },
    syncPolicy: {
      automated: { prune: true, selfHeal: true },
      syncOptions: ['CreateNamespace=false', 'ServerSideApply=true'],
      retry: { limit: 5, backoff: { duration: '5s', factor: 2, maxDuration: '3m' } },
    },
  },
};

const externalSecret = {
  apiVersion: 'external-secrets.io/v1',
  kind: 'ExternalSecret',
  metadata: { name: 'web-db', namespace: 'apps' },
  spec: {
    refreshInterval: '1h',
    secretStoreRef: { kind: 'ClusterSecretStore', name: 'aws-secrets-manager' },
    target: { name: 'web-db', creationPolicy: 'Owner' },
    data: [{ secretKey: 'password', remoteRef: { key: 'production/web/db', property: 'password' } }],
  },
};

const clusterSecretStore = {
  apiVersion: 'external-secrets.io/v1',
  kind: 'ClusterSecretStore',
  metadata: { name: 'aws-secrets-manager' },
  spec: {
    provider: {
      aws: {
        service: 'SecretsManager',
        region: 'eu-west-1',
        auth: { jwt: { serviceAccountRef: { name: 'external-secrets', namespace: 'external-secrets' } } },
      },
    },
  },
};

const httpRoute = {
  apiVersion: 'gateway.networking.k8s.io/v1',
  kind: 'HTTPRoute',
  metadata: { name: 'web', namespace: 'apps' },
  spec: {
    parentRefs: [{ name: 'public', namespace: 'gateway', sectionName: 'https' }],
    hostnames: ['www.example.com'],
    rules: [{ matches: [{ path: { type: 'PathPrefix', value: '/' } }], backendRefs: [{ name: 'web', port: 80 }] }],
  },
};

const clusterIssuer = {
  apiVersion: 'cert-manager.io/v1',
  kind: 'ClusterIssuer',
  metadata: { name: 'letsencrypt' },
  spec: {
    acme: {
      email: 'platform@example.com',
      server: 'https://acme-v02.api.letsencrypt.org/directory',
      privateKeySecretRef: { name: 'letsencrypt-account-key' },
      solvers: [{ http01: { gatewayHTTPRoute: { parentRefs: [{ name: 'public', namespace: 'gateway', kind: 'Gateway' }] } } }],
    },
  },
};

const serviceMonitor = {
  apiVersion: 'monitoring.coreos.com/v1',
  kind: 'ServiceMonitor',
  metadata: { name: 'web', namespace: 'apps', labels: { release: 'kube-prometheus-stack' } },
  spec: {
    selector: { matchLabels: labels },
    namespaceSelector: { matchNames: ['apps'] },
    endpoints: [{ port: 'http', path: '/metrics', interval: '30s', scheme: 'http' }],
  },
};

describe('validateManifest: valid manifests pass', () => {
  it.each([
    ['Deployment (apps/v1)', deployment],
    ['Service (v1)', service],
    ['NetworkPolicy (networking.k8s.io/v1)', networkPolicy],
    ['HorizontalPodAutoscaler (autoscaling/v2)', hpa],
    ['PodDisruptionBudget (policy/v1)', pdb],
    ['Namespace (v1)', namespace],
    ['ServiceAccount (v1)', serviceAccount],
    ['Argo CD Application with multiple sources (argoproj.io/v1alpha1)', application],
    ['ExternalSecret (external-secrets.io/v1)', externalSecret],
    ['ClusterSecretStore (external-secrets.io/v1)', clusterSecretStore],
    ['HTTPRoute (gateway.networking.k8s.io/v1)', httpRoute],
    ['ClusterIssuer (cert-manager.io/v1)', clusterIssuer],
    ['ServiceMonitor (monitoring.coreos.com/v1)', serviceMonitor],
  ])('%s', (_title, doc) => {
    expect(validateManifest(doc)).toEqual([]);
  });

  it('compiles a schema with a Go (?i) pattern (PrometheusRule) and applies it case-insensitively', () => {
    const rule = (partialResponseStrategy: string) => ({
      apiVersion: 'monitoring.coreos.com/v1',
      kind: 'PrometheusRule',
      metadata: { name: 'web', namespace: 'apps' },
      spec: { groups: [{ name: 'web', partial_response_strategy: partialResponseStrategy, rules: [{ alert: 'WebDown', expr: 'up == 0' }] }] },
    });
    expect(validateManifest(rule('WARN'))).toEqual([]);
    expect(validateManifest(rule('ignore')).join('\n')).toMatch(/spec\.groups\[0\]\.partial_response_strategy: must match pattern/);
  });
});

describe('validateManifest: invalid manifests fail', () => {
  it('rejects a kind without a schema, naming its apiVersion and kind', () => {
    const problems = validateManifest({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' }, spec: {} });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^Widget\/w: no schema for apiVersion example\.com\/v1, kind Widget/);
  });

  it('does not borrow a built-in schema for a look-alike group', () => {
    const problems = validateManifest({ ...deployment, apiVersion: 'apps.example.com/v1' });
    expect(problems.join('\n')).toMatch(/no schema for apiVersion apps\.example\.com\/v1, kind Deployment/);
  });

  it('rejects a misspelt field in a Deployment (strict schema)', () => {
    const { replicas, ...spec } = deployment.spec;
    const problems = validateManifest({ ...deployment, spec: { ...spec, replica: replicas } });
    expect(problems).toEqual([expect.stringMatching(/^Deployment\/web: spec\.replica: unknown field \(must NOT have additional properties\)$/)]);
  });

  it('rejects a Service port given as a string', () => {
    const problems = validateManifest({ ...service, spec: { ...service.spec, ports: [{ name: 'http', port: '80', targetPort: 'http' }] } });
    expect(problems).toEqual(['Service/web: spec.ports[0].port: must be integer']);
  });

  it('rejects an unknown field in an Application spec', () => {
    const problems = validateManifest({ ...application, spec: { ...application.spec, autoSync: true } });
    expect(problems).toEqual([expect.stringMatching(/^Application\/web: spec\.autoSync: unknown field/)]);
  });

  it('rejects a manifest without metadata.name', () => {
    const problems = validateManifest({ ...namespace, metadata: { labels: namespace.metadata.labels } });
    expect(problems).toEqual(['Namespace/(no name): metadata.name: required field missing (every manifest needs a name)']);
    expect(validateManifest({ apiVersion: 'v1', kind: 'ConfigMap' })).toHaveLength(1);
  });

  it('rejects something that is not a manifest', () => {
    expect(validateManifest(['not', 'a', 'mapping'])).toHaveLength(1);
    expect(validateManifest({ kind: 'Service', metadata: { name: 'x' } }).join('\n')).toMatch(/apiVersion and kind must both be strings/);
    expect(validateManifest({ apiVersion: '../../etc/v1', kind: 'Passwd', metadata: { name: 'x' } }).join('\n')).toMatch(/malformed apiVersion\/kind/);
  });
});

describe('validateYamlDocuments', () => {
  const good = `# the web service
apiVersion: v1
kind: Service
metadata:
  name: web
  annotations:
    deployed-on: 2026-01-15
spec:
  selector:
    app.kubernetes.io/name: web
  ports:
    - port: 80
      targetPort: 8080
`;
  const bad = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: broken
spec:
  replica: 2
  selector:
    matchLabels: {app: broken}
  template:
    metadata:
      labels: {app: broken}
    spec:
      automountServiceAccountToken: yes
      containers:
        - name: app
          image: nginx
`;

  it('validates every document and prefixes the problems with the source and document index', () => {
    const problems = validateYamlDocuments(`---\n${good}---\n# nothing here\n---\n${bad}`, 'rendered/web.yaml');
    expect(problems).toEqual([
      expect.stringMatching(/^rendered\/web\.yaml \(document 2\): Deployment\/broken: spec\.replica: unknown field/),
    ]);
  });

  it('passes a stream of valid documents (YAML 1.1: yes is a boolean, a bare date stays a string)', () => {
    expect(validateYamlDocuments(`${good}---\n${bad.replace('replica:', 'replicas:')}`, 'ok.yaml')).toEqual([]);
    expect(validateYamlDocuments('', 'empty.yaml')).toEqual([]);
  });

  it('reports YAML syntax errors', () => {
    const problems = validateYamlDocuments('apiVersion: v1\nkind: [Service\n', 'broken.yaml');
    expect(problems.length).toBeGreaterThan(0);
    expect(problems[0]).toMatch(/^broken\.yaml \(document 0\): YAML: /);
  });
});
