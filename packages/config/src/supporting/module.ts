import type { ChartPin } from '../catalogue';
import type { VolumeClaim } from '../cost';
import type { Environment, Platform } from '../schema';
import type { PlatformSecret } from '../supporting-plan';

/*
 * A supporting service is one module in one folder, packages/config/src/supporting/<name>/: this definition
 * (index.ts), a values template per Helm release (<release>.yaml.hbs), the kit docs' section about it (docs.md)
 * and, optionally, how to reach it in a platform repo's docs/services.md (access.md.hbs). The plan, the cost
 * estimate, the docs, the diagram and the GitOps writer fold over the registry of modules (registry.ts).
 * docs/contributing.md has the recipe for a new one.
 */

/** What a module sees of the environment it is planned for. */
export interface ModuleContext {
  readonly platform: Platform;
  readonly environment: Environment;
  readonly production: boolean;
  /** The namespace of the module's service. */
  readonly namespace: string;
  /** Whether a supporting service is selected. */
  has(service: string): boolean;
  /** The selected modules that keep their state in PostgreSQL, when postgresql is selected too. */
  readonly databases: readonly string[];
}

/** A Helm release of the module: values from the module's `<name>.yaml.hbs`, then the repo's overrides. */
export interface ModuleRelease {
  readonly name: string;
  /** A chart of the module's `charts`. */
  readonly chart: string;
  /** Releases (of any module, or the core ones) Argo CD installs first when they are present. */
  readonly after: readonly string[];
}

/** An S3 bucket of the environment and the Pod Identity role of the one service account that reads and writes it. */
export interface ModuleBucket {
  /** Its key in the plan's buckets (`buckets.<key>` in values templates). */
  readonly key: string;
  /** The bucket name's middle part: `<platform>-<env>-<purpose>-<account>`. */
  readonly purpose: string;
  /** The IAM role's name after the environment's prefix, and the Terraform ids of the role and its binding. */
  readonly role: string;
  /** The service account (in the module's namespace) the role is bound to. */
  readonly serviceAccount: string;
  /** What it holds, for the diagram. */
  readonly holds: string;
  /** How the service writes to it, for the diagram's edge. */
  readonly via: string;
  /**
   * Without workload identity (an existing cluster's S3-compatible store), the keys of the Secret the service reads
   * its access key from, as External Secrets templates of the provided `accessKeyId` and `secretAccessKey`.
   */
  readonly accessKeySecret: Readonly<Record<string, string>>;
}

/**
 * An IAM role bound (Pod Identity) to the module's service account that changes records in the environment's
 * Route 53 sub-zone `<env>.<domain>`, when the platform has a DNS zone (`dns.zone`).
 */
export interface ModuleDnsAccess {
  /** The IAM role's name after the environment's prefix, and the Terraform ids of the role and its binding. */
  readonly role: string;
  readonly serviceAccount: string;
  /** `all`: any record (external-dns); `acme-challenge`: TXT records under `_acme-challenge.` only (DNS-01). */
  readonly records: 'all' | 'acme-challenge';
}

/** What decides whether an automatic module is installed: not an answer, but what the answers imply. */
export interface ModuleSelection {
  /** The platform has a Route 53 zone (`dns.zone` is not `none`). */
  readonly dnsZone: boolean;
  /** Whether a supporting service is selected in the answers. */
  has(service: string): boolean;
}

/** Extra boxes and arrows of the cluster diagram (docs/architecture.md). Names are modules or extra nodes. */
export interface ModuleDiagram {
  /** Boxes drawn next to the module's own in its namespace (e.g. an agent it ships with). */
  readonly nodes?: readonly { readonly name: string; readonly lines: readonly string[] }[];
  /** Arrows, drawn when both ends are there; `from` is the module itself unless named. */
  readonly edges?: readonly { readonly from?: string; readonly to: string; readonly what: string }[];
}

export interface SupportingServiceModule<N extends string = string> {
  /** The answer's value in `supportingServices`. */
  readonly name: N;
  /** The module's folder (`__dirname` of its index): values templates, docs.md, access.md.hbs. */
  readonly dir: string;
  /** What a person calls it. */
  readonly title: string;
  /** What it is for, in a few words. */
  readonly purpose: string;
  /** Kubernetes namespace it runs in (modules may share one). */
  readonly namespace: string;
  /** Other supporting services it cannot run without, and why when it is not obvious (docs/answers.md). */
  readonly requires?: readonly string[];
  readonly requiresWhy?: string;
  /** Its catalogue entries: the charts it installs, pinned (a kit release that changes one changes every platform). */
  readonly charts: Readonly<Record<string, ChartPin>>;
  /** Its Helm releases. */
  readonly releases: readonly ModuleRelease[];
  /** `privileged` when it reads the host (host paths, host network); Pod Security `baseline` otherwise. */
  readonly podSecurity?: 'baseline' | 'privileged';
  /** Its namespace may attach routes to the Gateway (implied by `host`). */
  readonly gatewayAccess?: boolean;
  /** A public host `<label>.<env>.<domain>`, routed by the Gateway (when nginx is selected) to a Service. */
  readonly host?: { readonly label: string; readonly service: string; readonly port: number };
  /** It keeps its state in PostgreSQL: with postgresql, a database and a role of its name (Secret `postgresql-<name>`). */
  readonly database?: boolean;
  readonly bucket?: ModuleBucket;
  readonly dns?: ModuleDnsAccess;
  /**
   * An automatic module is never an answer: it is installed exactly when `when` holds (e.g. external-dns with a DNS
   * zone and a Gateway). `why` says so in the docs.
   */
  readonly automatic?: { readonly why: string; when(selection: ModuleSelection): boolean };
  /** `false`: selectable, but not in the answers' default selection (it adds cost or privileges a platform opts into). */
  readonly selectedByDefault?: boolean;
  /** Kubernetes Secrets it reads, with values generated into Secrets Manager and copied in by External Secrets. */
  secrets?(context: ModuleContext): PlatformSecret[];
  /** The persistent volumes its values request (the cost estimate); none when it keeps no data on volumes. */
  volumes?(production: boolean): VolumeClaim[];
  readonly diagram?: ModuleDiagram;
  /** What of it stays inside the cluster by design (docs/services.md), and what does without the Gateway. */
  readonly internal?: string;
  readonly internalWithoutGateway?: string;
  /**
   * Per chart: keys whose default is an empty map, a null or a commented example, which the chart documents as
   * free-form. The kit's values check lets a values template set keys below them.
   */
  readonly freeFormValues?: Readonly<Record<string, readonly string[]>>;
}

/** Declares a module, keeping its name's literal type (for `SupportingServiceName`). */
export function defineSupportingService<const N extends string>(module: SupportingServiceModule<N>): SupportingServiceModule<N> {
  return module;
}
