import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { parseAllDocuments } from "yaml";
import { mapLimit } from "../lib/pool.js";
import { run } from "../lib/run.js";
import type { ClusterPolicy, KubeObject } from "../../charts-src/lib/k8s.js";
import { documents, tenantOf } from "./documents.js";
import type { CheckResult } from "./report.js";
import type { Rendering } from "./renderings.js";

/**
 * The context variable the tenant policies read from the namespace (an API call in a cluster). Offline it comes from
 * the values file: one global value for a lone rendering, one value per resource when tenants share a run.
 */
const tenantVariable = "namespaceTenant";

/** Policies whose rules read the tenant from the namespace; they must not select by name, as their pass renames. */
const readsTenant = (policy: string): boolean => {
  const text = readFileSync(policy, "utf8");
  if (!text.includes(tenantVariable)) return false;
  if (/^\s+names:/m.test(text))
    throw new Error(
      `${policy}: a policy that reads ${tenantVariable} may not match resources by name (validate renames them)`,
    );
  return true;
};

/** Offline, Kyverno knows nothing of namespaces: the labels its rules select on come from the renderings' own Namespaces. */
const namespaceSelector = (docs: KubeObject[]) =>
  docs
    .filter((d) => d.kind === "Namespace")
    .map((n) => ({
      name: n.metadata?.name,
      labels: { "kubernetes.io/metadata.name": n.metadata?.name, ...n.metadata?.labels },
    }));

interface Pass {
  /** Kyverno looks per-resource values up by name alone: tenants sharing a run need their objects named apart. */
  tenantAware: boolean;
  policies: string[];
  /** The kinds the policies' rules match (every kind when one matches "*"). */
  kinds?: Set<string>;
}

/** Kyverno applies a rule on Pods to the controllers that own pod templates too (its autogen). */
const podControllers = [
  "Deployment",
  "StatefulSet",
  "DaemonSet",
  "Job",
  "CronJob",
  "ReplicaSet",
  "ReplicationController",
];

/**
 * Every kind the policies' rules can match: objects of other kinds cannot yield a result, so a shared run leaves them
 * out (a quarter of Kyverno's time). Undefined when a rule matches any kind.
 */
const matchedKinds = (policies: string[]): Set<string> | undefined => {
  const kinds = new Set<string>();
  for (const file of policies) {
    for (const doc of parseAllDocuments(readFileSync(file, "utf8"))) {
      for (const rule of (doc.toJS() as ClusterPolicy | null)?.spec?.rules ?? []) {
        const { any = [], all = [], resources } = rule.match ?? {};
        for (const filter of [...any, ...all, ...(resources ? [{ resources }] : [])])
          for (const kind of filter.resources?.kinds ?? []) kinds.add(kind.split("/").pop() as string);
      }
    }
  }
  if (kinds.has("*")) return undefined;
  if (kinds.has("Pod")) for (const k of podControllers) kinds.add(k);
  return kinds;
};

let runs = 0;

/** A namespaced object's name made unique across tenants (the tenant policies select nothing by name). */
const namedApart = (o: KubeObject): KubeObject => {
  const ns = o.metadata?.namespace;
  return ns ? { ...o, metadata: { ...o.metadata, name: `${o.metadata?.name}.${ns}` } } : o;
};

/** One `kyverno apply` of a pass's policies to some renderings: the resource files and values file it needs. */
const inputsFor = (pass: Pass, group: Rendering[]): { resources: string[]; values: string } => {
  const dir = dirname(group[0]?.file ?? ".");
  const id = ++runs;
  const docs = group.flatMap(documents);
  const values: Record<string, unknown> = {
    apiVersion: "cli.kyverno.io/v1alpha1",
    kind: "Values",
    metadata: { name: "renderings" },
    globalValues: { [tenantVariable]: group.length === 1 ? (tenantOf(docs) ?? "") : "" },
    namespaceSelector: namespaceSelector(docs),
  };
  let resources = group.map((r) => r.file);
  if (group.length > 1) {
    // A shared run reads one file: the objects the pass's policies can match, named apart when it needs them apart.
    const matched = (d: KubeObject) => !pass.kinds || pass.kinds.has(d.kind ?? "");
    const inputs = group.flatMap((r) => {
      const tenant = tenantOf(documents(r)) ?? "";
      return documents(r)
        .filter(matched)
        .map((object) => ({ tenant, object: pass.tenantAware ? namedApart(object) : object }));
    });
    const file = join(dir, `kyverno-${id}-resources.yaml`);
    // JSON documents: Kyverno reads YAML 1.1, where a plain `on` or `y` written as YAML 1.2 turns into a boolean.
    writeFileSync(file, inputs.map((r) => JSON.stringify(r.object)).join("\n---\n"));
    resources = [file];
    if (pass.tenantAware) {
      const perResource = inputs
        .filter((r) => r.tenant && r.object.metadata?.namespace)
        .map((r) => ({ name: r.object.metadata?.name, values: { [tenantVariable]: r.tenant } }));
      values.policies = pass.policies.map((p) => ({ name: policyName(p), resources: perResource }));
    }
  }
  const valuesFile = join(dir, `kyverno-${id}-values.yaml`);
  writeFileSync(valuesFile, JSON.stringify(values));
  return { resources, values: valuesFile };
};

const policyName = (file: string): string =>
  /^metadata:\n\s+name:\s*(\S+)/m.exec(readFileSync(file, "utf8"))?.[1] ?? file;

const summaryPattern = /pass: (\d+), fail: (\d+), warn: (\d+), error: (\d+), skip: (\d+)/;

type Outcome = { rendering: Rendering; failure?: string };

/** Zero failures and zero errors for a whole group; a failing group is halved until each failure names its rendering. */
const applyPass = async (kyverno: string, pass: Pass, group: Rendering[]): Promise<Outcome[]> => {
  const { resources, values } = inputsFor(pass, group);
  const out = await run(kyverno, [
    "apply",
    ...pass.policies,
    ...resources.flatMap((f) => ["--resource", f]),
    "--values-file",
    values,
  ]);
  const text = `${out.stdout}\n${out.stderr}`;
  const summary = summaryPattern.exec(text);
  const [, , fail, , error] = (summary ?? []).map(Number);
  if (summary && fail === 0 && error === 0) return group.map((rendering) => ({ rendering }));
  if (group.length > 1) {
    // One half after the other: a fleet with many bad tenants must not start a Kyverno per tenant at once.
    const half = Math.ceil(group.length / 2);
    const first = await applyPass(kyverno, pass, group.slice(0, half));
    return [...first, ...(await applyPass(kyverno, pass, group.slice(half)))];
  }
  const rendering = group[0] as Rendering;
  if (!summary) return [{ rendering, failure: text.trim().split("\n").slice(-5).join(" | ") }];
  const violations = text
    .split("\n")
    .filter((l) => / -> resource .* failed:/.test(l) || /^\d+ - /.test(l))
    .join(" ");
  return [{ rendering, failure: `${fail} violations, ${error} errors: ${violations}` }];
};

/**
 * Renderings per run. A run's fixed cost (about 1.5 s loading the policies) dwarfs a rendering's, so as few runs as
 * keep both cores busy, and no more than 250 renderings in one process, to bound its memory.
 */
const groupSize = (n: number) => Math.min(250, Math.max(50, Math.ceil(n / 2)));

/**
 * `kyverno apply` of every ClusterPolicy to every rendering, in a few shared runs: the policies that read the tenant
 * from the namespace in their own pass (objects named apart, each with its tenant), the others over the renderings
 * as they are. Each tenant's objects see its own namespace labels. One verdict per rendering: pass only if both do.
 */
export const applyPolicies = async (
  kyverno: string,
  policies: string[],
  renderings: Rendering[],
  perRun = groupSize(renderings.length),
): Promise<CheckResult[]> => {
  const passes: Pass[] = [
    { tenantAware: false, policies: policies.filter((p) => !readsTenant(p)) },
    { tenantAware: true, policies: policies.filter(readsTenant) },
  ]
    .filter((p) => p.policies.length > 0)
    .map((p) => ({ ...p, kinds: matchedKinds(p.policies) }));
  const groups = Array.from({ length: Math.ceil(renderings.length / perRun) }, (_, i) =>
    renderings.slice(i * perRun, (i + 1) * perRun),
  );
  const jobs = groups.flatMap((g) => passes.map((pass) => ({ g, pass })));
  const failures = new Map<Rendering, string[]>();
  for (const { rendering, failure } of (await mapLimit(jobs, ({ g, pass }) => applyPass(kyverno, pass, g), 2)).flat())
    if (failure) failures.set(rendering, [...(failures.get(rendering) ?? []), failure]);
  return renderings.map((r): CheckResult => {
    const base = { chart: r.fixture.chart, fixture: r.fixture.name, rung: "policies" as const, check: "kyverno apply" };
    const failed = failures.get(r);
    return failed ? { ...base, ok: false, message: failed.join("; ") } : { ...base, ok: true };
  });
};
