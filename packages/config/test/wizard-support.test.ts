import { describe, expect, it } from 'vitest';
import { canonicalAnswers, resolvePlatform, usesCertificateEmail, usesDomain, type AnswersInput } from '../src';

describe('canonicalAnswers', () => {
  it('orders fields as the schema does, nested objects and list entries included, unknown fields last', () => {
    const answers = {
      github: { oidcProvider: 'existing', owner: 'acme' },
      services: [{ port: 3000, name: 'api' }, 'worker'],
      name: 'acme-platform',
      extra: 1,
      environments: [{ nodes: { maxSize: 4, minSize: 1 }, tier: 'production', name: 'prod' }],
      aws: { accountId: '123456789012', region: 'eu-west-1' },
    } as unknown as AnswersInput;
    const ordered = canonicalAnswers(answers) as Record<string, any>;
    expect(Object.keys(ordered)).toEqual(['name', 'aws', 'environments', 'services', 'github', 'extra']);
    expect(Object.keys(ordered.aws)).toEqual(['region', 'accountId']);
    expect(Object.keys(ordered.github)).toEqual(['owner', 'oidcProvider']);
    expect(Object.keys(ordered.environments[0])).toEqual(['name', 'tier', 'nodes']);
    expect(Object.keys(ordered.environments[0].nodes)).toEqual(['minSize', 'maxSize']);
    expect(ordered.services).toEqual([{ name: 'api', port: 3000 }, 'worker']);
    expect(JSON.stringify(canonicalAnswers(ordered as AnswersInput))).toBe(JSON.stringify(ordered)); // stable
  });
});

describe('which answers apply', () => {
  it('the domain: with the Gateway or a service reached by a host name', () => {
    expect(usesDomain(resolvePlatform({}))).toBe(true);
    expect(usesDomain(resolvePlatform({ supportingServices: ['nginx'] }))).toBe(true);
    expect(usesDomain(resolvePlatform({ supportingServices: ['grafana'] }))).toBe(true);
    expect(usesDomain(resolvePlatform({ supportingServices: ['redis', 'loki', 'prometheus'] }))).toBe(false);
    expect(usesDomain(resolvePlatform({ supportingServices: [] }))).toBe(false);
  });

  it('the certificate email: only with cert-manager', () => {
    expect(usesCertificateEmail(resolvePlatform({}))).toBe(true);
    expect(usesCertificateEmail(resolvePlatform({ supportingServices: ['nginx', 'grafana'] }))).toBe(false);
  });
});
