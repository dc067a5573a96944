import { describe, expect, it } from 'vitest';
import { identityChanges, identityOf, resolvePlatform, validateAnswers, type AnswersInput, type IdentityLock } from '../src';

/*
 * Identity never moves: what a platform recorded when each environment first appeared (platform/identity.json) stands
 * in for the defaults, so that adding, removing or reordering environments, a new tier or a new kit's zone table
 * changes no VPC range or zone of an environment that exists. Only an answer does, and that change is reported.
 */

const BASE: AnswersInput = { name: 'acme', aws: { region: 'eu-west-1', accountId: '123456789012' }, environments: ['test', 'prod'] };
const recorded = identityOf(resolvePlatform(BASE));
/** With what the platform recorded, or with nothing recorded (`null`: a new platform). */
const resolve = (environments: AnswersInput['environments'], identity: IdentityLock | null = recorded, more: Partial<AnswersInput> = {}) =>
  resolvePlatform({ ...BASE, ...more, environments }, { identity: identity ?? undefined });
const ranges = (environments: AnswersInput['environments'], identity?: IdentityLock | null) =>
  Object.fromEntries(resolve(environments, identity).environments.map((e) => [e.name, e.vpcCidr]));

describe('VPC ranges', () => {
  it('are 10.10, 10.20, ... in list order for a new platform', () => {
    expect(recorded.environments).toEqual({
      test: { vpcCidr: '10.10.0.0/16', zoneIds: ['euw1-az1', 'euw1-az2', 'euw1-az3'] },
      prod: { vpcCidr: '10.20.0.0/16', zoneIds: ['euw1-az1', 'euw1-az2', 'euw1-az3'] },
    });
    expect(ranges(['dev', 'staging', 'prod'], null)).toEqual({ dev: '10.10.0.0/16', staging: '10.20.0.0/16', prod: '10.30.0.0/16' });
  });

  it('stay where they were when an environment is inserted before them, and the new one takes a free range', () => {
    expect(ranges(['test', 'staging', 'prod'])).toEqual({ test: '10.10.0.0/16', staging: '10.30.0.0/16', prod: '10.20.0.0/16' });
    expect(ranges(['dev', 'test', 'prod'])).toEqual({ dev: '10.30.0.0/16', test: '10.10.0.0/16', prod: '10.20.0.0/16' });
  });

  it('stay where they were when an environment before them is removed, or the list is reordered', () => {
    expect(ranges(['prod'])).toEqual({ prod: '10.20.0.0/16' });
    expect(ranges(['prod', 'test'])).toEqual({ prod: '10.20.0.0/16', test: '10.10.0.0/16' });
  });

  it('by default skip a range another environment answers, wherever it is in the list', () => {
    expect(ranges(['dev', { name: 'prod', vpcCidr: '10.10.0.0/16' }], null)).toEqual({ dev: '10.20.0.0/16', prod: '10.10.0.0/16' });
  });

  it('move when an answer sets one, and the change is reported with what it replaces', () => {
    const platform = resolve(['test', { name: 'prod', vpcCidr: '10.99.0.0/16' }]);
    expect(platform.environments[1].vpcCidr).toBe('10.99.0.0/16');
    expect(identityChanges(recorded, platform)).toEqual([
      { field: 'environments.prod.vpcCidr', from: '10.20.0.0/16', to: '10.99.0.0/16', consequence: "This replaces prod's VPC, its subnets and the EKS cluster in them." },
    ]);
  });
});

describe('zones', () => {
  const lock: IdentityLock = { ...recorded, environments: { ...recorded.environments, test: { vpcCidr: '10.10.0.0/16', zoneIds: ['euw1-az3', 'euw1-az1'] } } };

  it('stay as recorded, in their order, even when the tier would default to another number of them', () => {
    expect(resolve(['test', 'prod'], lock).environments[0].zoneIds).toEqual(['euw1-az3', 'euw1-az1']);
    expect(resolve([{ name: 'test', tier: 'production' }, 'prod'], lock).environments[0].zoneIds).toEqual(['euw1-az3', 'euw1-az1']);
    expect(resolve([{ name: 'test', availabilityZones: 2 }, 'prod'], lock).environments[0].zoneIds).toEqual(['euw1-az3', 'euw1-az1']);
  });

  it('change when the answers ask for another number of them, reported', () => {
    const platform = resolve([{ name: 'test', availabilityZones: 3 }, 'prod'], lock);
    expect(platform.environments[0].zoneIds).toEqual(['euw1-az1', 'euw1-az2', 'euw1-az3']);
    expect(identityChanges(lock, platform).map((c) => c.field)).toEqual(['environments.test.zoneIds']);
  });

  it('of another region are not kept: the move is reported with the region', () => {
    const platform = resolve(['test', 'prod'], lock, { aws: { region: 'eu-central-1', accountId: '123456789012' } });
    expect(platform.environments[0].zoneIds).toEqual(['euc1-az1', 'euc1-az2', 'euc1-az3']);
    expect(identityChanges(lock, platform).map((c) => c.field)).toEqual(['platform.region', 'environments.test.zoneIds', 'environments.prod.zoneIds']);
  });
});

describe('identityChanges', () => {
  it('is empty when nothing identifying changed, whatever else did', () => {
    expect(identityChanges(recorded, resolve(['test', { name: 'prod', nodes: { maxSize: 20 } }, 'qa']))).toEqual([]);
  });

  it('reports a removed environment and a renamed platform', () => {
    const changes = identityChanges(recorded, resolvePlatform({ ...BASE, name: 'acme2', environments: ['prod'] }, { identity: recorded }));
    expect(changes.map((c) => `${c.field}: ${c.from} -> ${c.to}`)).toEqual([
      'platform.name: acme -> acme2',
      'platform.stateBucket: acme-tfstate-123456789012 -> acme2-tfstate-123456789012',
      'environments.test: present -> removed',
    ]);
  });

  it('leaves invalid answers invalid: a recorded range does not hide an overlap the answers make', () => {
    const result = validateAnswers({ ...BASE, environments: [{ name: 'test', vpcCidr: '10.20.0.0/16' }, 'prod'] }, { identity: recorded });
    expect(result.ok).toBe(false);
    expect(!result.ok && result.issues.map((i) => i.message)).toEqual(["10.20.0.0/16 overlaps test's 10.20.0.0/16. Give each environment its own range."]);
  });
});

describe('an environment on an existing cluster', () => {
  const office = { name: 'test', target: { kind: 'kubernetes' as const, context: 'office' } };
  const onCluster = identityOf(resolve([office, 'prod'], null));

  it('is identified by its kubeconfig context, and takes no VPC range from the environments on EKS', () => {
    expect(onCluster.environments).toEqual({ test: { context: 'office' }, prod: { vpcCidr: '10.10.0.0/16', zoneIds: ['euw1-az1', 'euw1-az2', 'euw1-az3'] } });
    expect(identityChanges(onCluster, resolve([office, 'prod'], onCluster))).toEqual([]);
  });

  it('moving to it from EKS, back, or to another context is reported with what it leaves behind', () => {
    const report = (changes: ReturnType<typeof identityChanges>) => changes.map((c) => `${c.field}: ${c.from} -> ${c.to}`);
    const toCluster = identityChanges(recorded, resolve([office, 'prod']));
    expect(report(toCluster)).toEqual(['environments.test.target: EKS in 10.10.0.0/16 -> the existing cluster of context office']);
    expect(toCluster[0].consequence).toContain("test's network, cluster and services-aws stacks are no longer synthesized: destroy them first");
    const toEks = identityChanges(onCluster, resolve(['test', 'prod'], onCluster));
    expect(report(toEks)).toEqual(['environments.test.target: the existing cluster of context office -> EKS in 10.20.0.0/16']);
    expect(toEks[0].consequence).toContain('This creates a VPC and an EKS cluster for test');
    const moved = identityChanges(onCluster, resolve([{ ...office, target: { ...office.target, context: 'lab' } }, 'prod'], onCluster));
    expect(report(moved)).toEqual(['environments.test.target.context: office -> lab']);
  });
});
