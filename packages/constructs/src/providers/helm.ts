/* The classes of @cdktf/provider-helm the constructs use, bundled like ./aws.ts (scripts/bundle-providers.ts). */

export { HelmProvider } from '@cdktf/provider-helm/lib/provider';
export { Release, type ReleaseConfig } from '@cdktf/provider-helm/lib/release';
