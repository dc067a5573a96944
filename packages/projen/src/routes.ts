import { GATEWAY_NAME, supportingService } from '@platform-kit/config';

/** A host the platform's Gateway serves: its listener (HTTPS, named like the route) and the Service behind it. */
export interface GatewayRoute {
  readonly name: string;
  readonly namespace: string;
  readonly host: string;
  /** The Gateway's HTTPS listener for the host (helm/<env>/nginx.yaml). */
  readonly listener: string;
  readonly service: string;
  readonly port: number;
}

/** The platform's Gateway, as a route's parent. */
export function gatewayRef() {
  return { kind: 'Gateway', name: GATEWAY_NAME, namespace: supportingService('nginx').namespace };
}

/**
 * The HTTPRoute of a host: on its HTTPS listener when cert-manager issues certificates (with a second route that
 * redirects plain HTTP to HTTPS), on the plain HTTP listener otherwise.
 */
export function httpRoutes(route: GatewayRoute, tls: boolean): Record<string, unknown>[] {
  const main = {
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'HTTPRoute',
    metadata: { name: route.name, namespace: route.namespace },
    spec: {
      parentRefs: [{ ...gatewayRef(), sectionName: tls ? route.listener : 'http' }],
      hostnames: [route.host],
      rules: [{ backendRefs: [{ name: route.service, port: route.port }] }],
    },
  };
  if (!tls) return [main];
  return [
    main,
    {
      // Plain HTTP redirects to HTTPS (ACME challenges match a longer path and still get through).
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'HTTPRoute',
      metadata: { name: `${route.name}-https-redirect`, namespace: route.namespace },
      spec: {
        parentRefs: [{ ...gatewayRef(), sectionName: 'http' }],
        hostnames: [route.host],
        rules: [{ filters: [{ type: 'RequestRedirect', requestRedirect: { scheme: 'https', statusCode: 301 } }] }],
      },
    },
  ];
}
