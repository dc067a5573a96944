import { describe, expect, it } from 'vitest';
import { closest, editDistance } from '../src';

describe('closest', () => {
  it('names the field a typo meant: a missing, extra, swapped or wrong letter', () => {
    const fields = ['name', 'tier', 'vpcCidr', 'availabilityZones', 'natGateways', 'nodes'];
    expect(closest('natGateway', fields)).toBe('natGateways');
    expect(closest('vpcCdir', fields)).toBe('vpcCidr');
    expect(closest('availabilityZone', fields)).toBe('availabilityZones');
    expect(closest('Tier', fields)).toBe('tier');
  });

  it('names nothing when no field is near', () => {
    expect(closest('colour', ['name', 'aws', 'environments', 'services'])).toBeUndefined();
    expect(closest('xyz', [])).toBeUndefined();
  });

  it('counts edits as Damerau-Levenshtein (adjacent swaps are one)', () => {
    expect(editDistance('abc', 'abc')).toBe(0);
    expect(editDistance('acb', 'abc')).toBe(1);
    expect(editDistance('kitten', 'sitting')).toBe(3);
  });
});
