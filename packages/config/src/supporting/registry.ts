import type { ChartPin } from '../catalogue';
import certManager from './cert-manager';
import externalDns from './external-dns';
import grafana from './grafana';
import hydra from './hydra';
import keto from './keto';
import kratos from './kratos';
import loki from './loki';
import type { SupportingServiceModule } from './module';
import nginx from './nginx';
import oathkeeper from './oathkeeper';
import postgresql from './postgresql';
import prometheus from './prometheus';
import redis from './redis';
import velero from './velero';

/**
 * The kit's supporting services, in the order the answers, the wizard and the docs list them (a platform's
 * `supportingServices` are sorted this way, whatever order the answers used).
 */
export const BUILT_IN_MODULES = [postgresql, redis, nginx, certManager, externalDns, loki, grafana, prometheus, oathkeeper, hydra, keto, kratos, velero] as const;
export type SupportingServiceName = (typeof BUILT_IN_MODULES)[number]['name'];
/** The answers' default selection: the kit's selectable supporting services, but those a platform opts into. */
export const SUPPORTING_SERVICES = BUILT_IN_MODULES.filter((m) => !('automatic' in m) && !('selectedByDefault' in m && m.selectedByDefault === false)).map((m) => m.name) as [
  SupportingServiceName,
  ...SupportingServiceName[],
];

const modules: SupportingServiceModule[] = [...BUILT_IN_MODULES];

/** Every registered module: the kit's, then those registered since, in that order. */
export function supportingServiceModules(): readonly SupportingServiceModule[] {
  return modules;
}

/** The names of every registered module, the automatic ones included. */
export function supportingServiceNames(): string[] {
  return modules.map((m) => m.name);
}

/** The names a platform may select in `supportingServices`: every module but the automatic ones. */
export function selectableSupportingServiceNames(): string[] {
  return modules.filter((m) => !m.automatic).map((m) => m.name);
}

/** The module of a supporting service; throws for a name no module has. */
export function supportingService(name: string): SupportingServiceModule {
  const module = modules.find((m) => m.name === name);
  if (!module) throw new Error(`no supporting service module is named ${name} (known: ${supportingServiceNames().join(', ')})`);
  return module;
}

/**
 * Adds a module after the kit's (tests, and a kit fork's own services). Refuses one that would collide: a name,
 * release, chart or host label already taken, or a requirement or release order naming nothing known.
 */
export function registerSupportingService(module: SupportingServiceModule): void {
  const taken = (what: string, value: string, values: string[]) => {
    if (values.includes(value)) throw new Error(`supporting service ${module.name}: ${what} ${value} is taken by another module`);
  };
  taken('the name', module.name, supportingServiceNames());
  for (const release of module.releases) {
    taken('the release', release.name, modules.flatMap((m) => m.releases.map((r) => r.name)));
    if (!(release.chart in module.charts)) throw new Error(`supporting service ${module.name}: release ${release.name} installs ${release.chart}, which is not in its charts`);
  }
  for (const chart of Object.keys(module.charts)) taken('the chart', chart, Object.keys(supportingCharts()));
  if (module.host) taken('the host label', module.host.label, modules.flatMap((m) => (m.host ? [m.host.label] : [])));
  for (const needed of module.requires ?? []) if (!supportingServiceNames().includes(needed)) throw new Error(`supporting service ${module.name} requires ${needed}, which no module is named`);
  modules.push(module);
}

/** The catalogue entries of every module's charts. */
export function supportingCharts(): Record<string, ChartPin> {
  return Object.assign({}, ...modules.map((m) => m.charts));
}
