import { environmentDomain, type AnswersInput } from '@platform-kit/config';
import { afterAll, describe, expect, it } from 'vitest';
import { dnsStatements } from '../src';
import { removeOutdirs, resources, synth, type Json } from './support';

/* The platform's Route 53 zones (shared) and the roles that write an environment's zone (<env>-services-aws). */

afterAll(removeOutdirs);

const BASE: AnswersInput = { name: 'acme', domain: 'acme.example.com', environments: ['dev', 'prod'], services: ['api'] };
const bodies = (stack: Json, type: string): Json[] => resources(stack, type).map(([, body]) => body);

describe('dns.zone: create', () => {
  const { stacks } = synth({ ...BASE, dns: { zone: 'create' } });
  const shared = stacks.shared;
  const zones = bodies(shared, 'aws_route53_zone').sort((a, b) => a.name.length - b.name.length || a.name.localeCompare(b.name));
  const zoneId = (name: string) => resources(shared, 'aws_route53_zone').find(([, z]) => z.name === name)![0];

  it('creates the platform zone and a sub-zone per environment, kept on destroy in production', () => {
    expect(zones.map((z) => [z.name, z.force_destroy])).toEqual([
      ['acme.example.com', false],
      ['dev.acme.example.com', true],
      ['prod.acme.example.com', false],
    ]);
    expect(shared.output.zone_name_servers.value).toMatch(/^\$\{aws_route53_zone\.dns_zone_\w+\.name_servers\}$/);
  });

  it("delegates each environment's sub-zone from the platform zone with NS records of the sub-zone's name servers", () => {
    const parentId = zoneId('acme.example.com');
    const delegations = bodies(shared, 'aws_route53_record').sort((a, b) => a.name.localeCompare(b.name));
    expect(delegations.map((r) => [r.name, r.type, r.zone_id])).toEqual([
      ['dev.acme.example.com', 'NS', `\${aws_route53_zone.${parentId}.zone_id}`],
      ['prod.acme.example.com', 'NS', `\${aws_route53_zone.${parentId}.zone_id}`],
    ]);
    expect(delegations[0].records).toBe(`\${aws_route53_zone.${zoneId('dev.acme.example.com')}.name_servers}`);
  });

  it("binds external-dns and cert-manager to roles that reach their own environment's zone only", () => {
    for (const env of ['dev', 'prod']) {
      const stack = stacks[`${env}-services-aws`];
      const associations = bodies(stack, 'aws_eks_pod_identity_association').map((a) => `${a.namespace}/${a.service_account}`);
      expect(associations).toEqual(expect.arrayContaining(['external-dns/external-dns', 'cert-manager/cert-manager']));
      const roles = bodies(stack, 'aws_iam_role').map((r) => r.name);
      expect(roles).toEqual(expect.arrayContaining([`acme-${env}-external-dns`, `acme-${env}-cert-manager`]));
    }
    // The zone ARN comes from the shared stack's output of that environment's zone.
    const devPolicy = JSON.stringify(stacks['dev-services-aws'].data.aws_iam_policy_document);
    expect(devPolicy).toContain('route53:ChangeResourceRecordSetsRecordTypes');
    expect(JSON.stringify(stacks.shared.output)).toContain('dns_zone-dev');
  });

  it('limits cert-manager to TXT records under _acme-challenge', () => {
    const [change] = dnsStatements('arn:aws:route53:::hostedzone/Z1', 'acme-challenge');
    expect(change.actions).toEqual(['route53:ChangeResourceRecordSets']);
    expect(change.conditions).toEqual([
      { test: 'ForAllValues:StringEquals', variable: 'route53:ChangeResourceRecordSetsRecordTypes', values: ['TXT'] },
      { test: 'ForAllValues:StringLike', variable: 'route53:ChangeResourceRecordSetsNormalizedRecordNames', values: ['_acme-challenge.*'] },
    ]);
  });
});

describe('dns.zone: existing', () => {
  const { stacks } = synth({ ...BASE, dns: { zone: 'existing', zoneId: '/hostedzone/Z0123456789ABCDEFGHIJ' } });

  it('creates only the sub-zones, delegated from the answered zone', () => {
    expect(bodies(stacks.shared, 'aws_route53_zone').map((z) => z.name).sort()).toEqual(['dev.acme.example.com', 'prod.acme.example.com']);
    expect(bodies(stacks.shared, 'aws_route53_record').map((r) => r.zone_id)).toEqual(['Z0123456789ABCDEFGHIJ', 'Z0123456789ABCDEFGHIJ']);
    expect(stacks.shared.output.zone_name_servers).toBeUndefined();
  });
});

describe('dns.zone: none (the default)', () => {
  const { platform, stacks } = synth(BASE);

  it('creates no zone, no record and no DNS role', () => {
    for (const [name, stack] of Object.entries(stacks)) {
      expect(resources(stack, 'aws_route53_zone'), name).toEqual([]);
      expect(resources(stack, 'aws_route53_record'), name).toEqual([]);
    }
    expect(bodies(stacks['dev-services-aws'], 'aws_iam_role').map((r) => r.name)).not.toContain('acme-dev-external-dns');
    expect(environmentDomain(platform, platform.environments[0])).toBe('dev.acme.example.com');
  });
});
