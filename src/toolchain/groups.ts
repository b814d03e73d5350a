/**
 * The pinned toolchain in groups, by what needs them: `npm start` builds only the static group (what `generate` and
 * `validate` run), and each command that needs more installs its groups when it starts. Tools are named by their pin's
 * `name` (src/toolchain/pins.ts); test/toolchain/groups.test.ts fails when a pin is in no group, or in two.
 */
import { UsageError } from "../lib/usage-error.js";
import { dataSets } from "./datasets.js";
import { tools } from "./pins.js";

export const groupNames = ["static", "cluster", "runtime", "audit"] as const;
export type GroupName = (typeof groupNames)[number];

export const groups: Record<GroupName, { tools: readonly string[] }> = {
  // What validate's ladder runs: helm lint (4 and 3), the renderers, kubeconform, ct lint, the Kyverno suites and runs.
  static: {
    tools: [
      "helm",
      "helm3",
      "helm-render",
      "helm3-render",
      "kubeconform",
      "chart-testing",
      "chart-testing-python",
      "kyverno",
      "kyverno-apply",
      // promtool parses the alerts' and dashboards' PromQL and runs the alerts' unit tests.
      "prometheus",
    ],
  },
  // The embedded control plane and what the install suite runs beside it: np-guard, the OCI registry and GnuPG of the
  // publish scenario, Argo CD and its Redis (which the runtime suite's host services reuse), and the controllers
  // `cluster up --controllers` runs (metrics-server, KEDA, External Secrets and the moto it reads from, Reloader,
  // which rolls out what reads a rotated Secret, the Prometheus Operator with the Prometheus it runs) and Karpenter,
  // which makes the install suite's nodes.
  cluster: {
    tools: [
      "kwok",
      "etcd",
      "kubernetes",
      "netpol-analyzer",
      "distribution",
      "argo-cd",
      "redis-server",
      "gnupg",
      "metrics-server",
      "keda",
      "karpenter",
      "external-secrets",
      "moto",
      "reloader",
      "prometheus-stack",
    ],
  },
  // The real node, the images it runs (and the packages that build them), the model and the host services' PostgreSQL.
  runtime: {
    tools: [
      "kubernetes-node",
      "cni-plugins",
      "kube-router",
      "coredns",
      "keda-http-interceptor",
      "ollama",
      "model-maker",
      "containerd",
      "runc",
      "iptables",
      "ipset",
      "conntrack",
      "umoci",
      "skopeo",
      "busybox-static",
      "debootstrap",
      "nlohmann-json3-dev",
      "libstb-dev",
      "postgresql-15",
      "postgresql-server-dev-15",
      "dpkg-dev",
      "pgvector",
      "nginx-light",
      "sudo",
      "kube-state-metrics",
      "traefik",
      "otelcol",
    ],
  },
  // The third-party auditors (kube-score, checkov) test/audit runs on the rendered charts: only `npm test` needs them.
  audit: {
    tools: ["kube-score", "checkov"],
  },
};

/** The groups each command installs before it starts (instant when the cache holds them). */
export const commandGroups = {
  "npm start": ["static"],
  "npm test": groupNames,
  // The suites install the charts with Helm (static).
  "test-install": ["static", "cluster"],
  // The real node joins the embedded control plane; the host services' Redis is the cluster group's.
  "test-runtime": ["static", "cluster", "runtime"],
  "cluster up": ["cluster"],
  "cluster up --real-node": ["cluster", "runtime"],
  "images build": ["runtime"],
} as const satisfies Record<string, readonly GroupName[]>;

export type GroupedCommand = keyof typeof commandGroups;

/**
 * Every data set is static: validate's manifests rung hands kubeconform the schema locations of all of them
 * (`kubeconformSchemaLocations`), so a new CRD source is needed by `validate` the moment it is pinned.
 */
const dataSetGroup: GroupName = "static";

/** The group a pinned tool or data set belongs to, or undefined when it has none (a test forbids that). */
export const groupOf = (name: string): GroupName | undefined =>
  dataSets().some((d) => d.name === name)
    ? dataSetGroup
    : groupNames.find((group) => groups[group].tools.includes(name));

/** The tools and data sets of these groups, by name, in pin order (the installer's `only`). */
export const groupMembers = (selected: readonly GroupName[]): string[] => {
  const names = [...tools.map((t) => t.name), ...new Set(dataSets().map((d) => d.name))];
  return names.filter((name) => selected.includes(groupOf(name) as GroupName));
};

/** Parses `--group` values: group names, or `all`; anything else is refused, naming the groups. */
export const parseGroups = (values: readonly string[]): GroupName[] => {
  if (values.includes("all")) return [...groupNames];
  const unknown = values.filter((v) => !(groupNames as readonly string[]).includes(v));
  if (unknown.length > 0)
    throw new UsageError(`unknown group: ${unknown.join(", ")}; the groups: ${groupNames.join(", ")}, all`);
  return groupNames.filter((g) => values.includes(g));
};

/** The commands (without their options) that install any of these groups, in `commandGroups` order. */
const commandsInstalling = (wanted: readonly GroupName[]): string[] => [
  ...new Set(
    Object.entries(commandGroups)
      .filter(([, needed]) => needed.some((g) => wanted.includes(g)))
      .map(([command]) => command.replace(/ --.*$/, "")),
  ),
];

const list = (items: string[]): string =>
  items.length > 1 ? `${items.slice(0, -1).join(", ")} and ${items.at(-1)}` : (items[0] ?? "");

/** One line saying what an install of these groups builds, and what it leaves to the commands that need it. */
export const groupPlanLine = (selected: readonly GroupName[]): string => {
  const describe = (group: GroupName) => {
    const members = groupMembers([group]);
    const data = members.filter((name) => !tools.some((t) => t.name === name)).length;
    const tally = data > 0 ? `${members.length - data} tools, ${data} data sets` : `${members.length} tools`;
    return `${group} (${tally})`;
  };
  const left = groupNames.filter((g) => !selected.includes(g));
  const installing = `toolchain: installing ${list(selected.map(describe))}`;
  if (left.length === 0) return installing;
  return `${installing}; ${list(left.map(describe))} left to ${list(commandsInstalling(left))}, which build them on first use`;
};
