import { environmentDomain, environmentHasDnsZone, type Platform } from '@platform-kit/config';
import { Construct } from 'constructs';
import { Route53Record, Route53Zone } from './providers/aws';

/** TTL of the delegation records: name servers of a zone change only when the zone is replaced. */
const DELEGATION_TTL = 3600;

export interface PlatformDnsProps {
  readonly platform: Platform;
}

/**
 * The platform's DNS in Route 53 (with `dns.zone` `create` or `existing`): the platform's zone (`<domain>`, created
 * here or the answered one) and, per environment, a sub-zone `<env>.<domain>` delegated from it with NS records.
 * A zone per environment keeps each environment's writers (external-dns, cert-manager's DNS-01 solver) inside its
 * own names: dev's roles cannot touch prod's records, and an environment's records go with its zone.
 */
export class PlatformDns extends Construct {
  /** The platform's zone, when this stack creates it (`dns.zone: create`). */
  readonly zone?: Route53Zone;
  /** The id of the zone that delegates to the environments (created, or the answered one). */
  readonly zoneId: string;
  /** Each environment's sub-zone, by environment name. */
  readonly environmentZones: Record<string, Route53Zone> = {};

  constructor(scope: Construct, id: string, props: PlatformDnsProps) {
    super(scope, id);
    const { platform } = props;
    if (platform.dns.zone === 'create') {
      // Never force-destroyed: its records and the registrar's delegation to its name servers would go with it.
      this.zone = new Route53Zone(this, 'zone', { name: platform.domain, comment: `${platform.name}: the platform's zone (platform-kit)`, forceDestroy: false });
      this.zoneId = this.zone.zoneId;
    } else this.zoneId = platform.dns.zoneId!;

    // An environment on an existing cluster has no sub-zone: its records are made by hand (docs/targets.md).
    for (const environment of platform.environments.filter((e) => environmentHasDnsZone(platform, e))) {
      const name = environmentDomain(platform, environment);
      const zone = new Route53Zone(this, `zone-${environment.name}`, {
        name,
        comment: `${platform.name} ${environment.name}: records of its Gateway routes, kept by external-dns (platform-kit)`,
        // Outside production, the records external-dns made go with the zone; a production zone with records refuses.
        forceDestroy: environment.tier !== 'production',
        tags: { environment: environment.name },
      });
      new Route53Record(this, `delegation-${environment.name}`, { zoneId: this.zoneId, name, type: 'NS', ttl: DELEGATION_TTL, records: zone.nameServers });
      this.environmentZones[environment.name] = zone;
    }
  }
}
