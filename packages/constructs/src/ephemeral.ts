import type { TerraformStack } from 'cdktf';

/*
 * Ephemeral resources (Terraform >= 1.10; write-only arguments >= 1.11) are opened for each plan and apply and never stored in state.
 * cdktf 0.21 predates them, so they are written as raw `ephemeral` blocks; their values may only flow into
 * write-only arguments (e.g. `secret_string_wo`, Helm's `set_wo`) and other ephemeral contexts.
 */

/** A Terraform identifier from a readable name (letters, digits, `_` and `-`, starting with a letter). */
export function terraformName(name: string): string {
  return name.replace(/[^A-Za-z0-9_-]/g, '_').replace(/^([^A-Za-z_])/, '_$1');
}

/** Adds `ephemeral "<type>" "<name>"` to the stack; returns its address for use in expressions. */
export function ephemeral(stack: TerraformStack, type: string, name: string, config: Record<string, unknown>): string {
  stack.addOverride(`ephemeral.${type}.${name}`, config);
  return `ephemeral.${type}.${name}`;
}
