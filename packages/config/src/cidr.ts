/** Minimal IPv4 CIDR arithmetic: enough to validate answers and plan subnets without a dependency. */
export interface Cidr {
  readonly address: number; // network address as an unsigned 32-bit integer
  readonly prefix: number;
}

const CIDR_RE = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;

/** Parses "a.b.c.d/p"; returns undefined when it is not a well-formed IPv4 CIDR. */
export function parseCidr(text: string): (Cidr & { hostBitsSet: boolean }) | undefined {
  const m = CIDR_RE.exec(text);
  if (!m) return undefined;
  const octets = m.slice(1, 5).map(Number);
  const prefix = Number(m[5]);
  if (octets.some((o) => o > 255) || prefix > 32) return undefined;
  const raw = octets.reduce((acc, o) => acc * 256 + o, 0);
  const { address } = networkOf(raw, prefix);
  return { address, prefix, hostBitsSet: address !== raw };
}

/** The network of `prefix` bits that holds an address. */
export function networkOf(address: number, prefix: number): Cidr {
  return { address: prefix === 0 ? 0 : (address - (address % 2 ** (32 - prefix))) >>> 0, prefix };
}

/** "a.b.c.d" of an address. */
export function formatAddress(a: number): string {
  return `${a >>> 24}.${(a >>> 16) & 255}.${(a >>> 8) & 255}.${a & 255}`;
}

export function formatCidr(cidr: Cidr): string {
  return `${formatAddress(cidr.address)}/${cidr.prefix}`;
}

function size(c: Cidr): number {
  return 2 ** (32 - c.prefix);
}

export function contains(outer: Cidr, inner: Cidr): boolean {
  return inner.prefix >= outer.prefix && inner.address >= outer.address && inner.address + size(inner) <= outer.address + size(outer);
}

export function overlaps(a: Cidr, b: Cidr): boolean {
  return a.address < b.address + size(b) && b.address < a.address + size(a);
}

/** The private ranges of RFC 1918: a VPC must sit inside one of them. */
export const PRIVATE_RANGES: readonly Cidr[] = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16'].map((c) => parseCidr(c)!);

/** The index-th subnet of `newPrefix` inside `parent` (like Terraform's cidrsubnet). */
export function subnet(parent: Cidr, newPrefix: number, index: number): Cidr {
  if (newPrefix < parent.prefix || newPrefix > 32) throw new Error(`cannot split /${parent.prefix} into /${newPrefix}`);
  const count = 2 ** (newPrefix - parent.prefix);
  if (index < 0 || index >= count) throw new Error(`subnet index ${index} out of range (0-${count - 1})`);
  return { address: (parent.address + index * 2 ** (32 - newPrefix)) >>> 0, prefix: newPrefix };
}
