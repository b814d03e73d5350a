import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { parseAllDocuments } from "yaml";
import type { ClusterPolicy, KubeObject } from "../../charts-src/lib/k8s.js";
import { documents, tenantOf } from "./documents.js";
import { type Command, type Outcome, runEach } from "./kyverno-each.js";
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
  /** The objects this pass is given (every object when undefined). */
  admits?: (object: KubeObject) => boolean;
}

/** Kyverno applies a rule on Pods to the controllers that own pod templates too (its autogen). */
const podControllers = new Set([
  "Deployment",
  "StatefulSet",
  "DaemonSet",
  "Job",
  "CronJob",
  "ReplicaSet",
  "ReplicationController",
]);

/** What one match filter of a rule can select: kinds, and names when it names them (Kyverno's `*` and `?` wildcards). */
interface Selector {
  kinds: Set<string>;
  names?: RegExp[];
}

const wildcard = (pattern: string) =>
  new RegExp(
    `^${pattern
      .replace(/[.+^${}()|[\]\\]/g, "\\$&")
      .replace(/\*/g, ".*")
      .replace(/\?/g, ".")}$`,
  );

/** Every match filter of every rule of a policy file (exclude blocks ignored: they only ever select less). */
const selectors = (policy: string): Selector[] =>
  parseAllDocuments(readFileSync(policy, "utf8")).flatMap((doc) =>
    ((doc.toJS() as ClusterPolicy | null)?.spec?.rules ?? []).flatMap((rule) => {
      const { any = [], all = [], resources } = rule.match ?? {};
      return [...any, ...all, ...(resources ? [{ resources }] : [])].map((filter) => ({
        kinds: new Set((filter.resources?.kinds ?? []).map((k) => k.split("/").pop() as string)),
        names: filter.resources?.names?.map(wildcard),
      }));
    }),
  );

/** Whether a filter can select an object: by its kind (a Pod's controllers too) and, when it names some, its name. */
const mayMatch = ({ kinds, names }: Selector, o: KubeObject): boolean => {
  const kind = o.kind ?? "";
  if (kinds.has("Pod") && podControllers.has(kind)) return true;
  if (!kinds.has("*") && !kinds.has(kind)) return false;
  return !names || names.some((n) => n.test(o.metadata?.name ?? ""));
};

/**
 * A pass split by what its policies can match: each object goes to one run with exactly the policies whose rules can
 * select it (by kind and name), and objects no policy can select to none. What each object meets is unchanged (a
 * policy none of whose rules selects an object yields no result for it), but Kyverno does most of its work for every
 * object and policy it is given, whether a rule selects it or not: most of a shared run's time, before this split.
 */
const splitByMatch = (pass: Pass, objects: KubeObject[]): Pass[] => {
  const selectorsOf = new Map(pass.policies.map((p) => [p, selectors(p)]));
  const identity = (o: KubeObject) => `${o.kind}/${o.metadata?.name}`;
  const byPolicies = new Map<string, { policies: string[]; identities: Set<string> }>();
  const seen = new Set<string>();
  for (const o of objects) {
    const id = identity(o);
    if (seen.has(id)) continue;
    seen.add(id);
    const policies = pass.policies.filter((p) => selectorsOf.get(p)?.some((s) => mayMatch(s, o)));
    if (policies.length === 0) continue;
    const key = policies.join("\n");
    const run = byPolicies.get(key) ?? { policies, identities: new Set<string>() };
    run.identities.add(id);
    byPolicies.set(key, run);
  }
  return [...byPolicies.values()].map(({ policies, identities }) => ({
    tenantAware: pass.tenantAware,
    policies,
    admits: (o) => identities.has(identity(o)),
  }));
};

/** One shared run: a pass's policies over a group of renderings. */
export interface Job {
  pass: Pass;
  group: Rendering[];
}

let runs = 0;

/** A namespaced object's name made unique across tenants (the tenant policies select nothing by name). */
const namedApart = (o: KubeObject): KubeObject => {
  const ns = o.metadata?.namespace;
  return ns ? { ...o, metadata: { ...o.metadata, name: `${o.metadata?.name}.${ns}` } } : o;
};

/**
 * One `kyverno apply` of a pass's policies to a group of renderings: its arguments, and the resource file and values
 * file they name, written beside the group's renderings; `count` is how many objects it was given.
 */
export const commandFor = ({ pass, group }: Job): Command & { count: number } => {
  const dir = dirname(group[0]?.file ?? ".");
  const id = ++runs;
  const docs = group.flatMap(documents);
  const shared = group.length > 1;
  const values: Record<string, unknown> = {
    apiVersion: "cli.kyverno.io/v1alpha1",
    kind: "Values",
    metadata: { name: "renderings" },
    globalValues: { [tenantVariable]: shared ? "" : (tenantOf(docs) ?? "") },
    namespaceSelector: namespaceSelector(docs),
  };
  // The objects the pass's policies can match, named apart when tenants share the run and the pass needs them apart.
  const matched = (d: KubeObject) => !pass.admits || pass.admits(d);
  const namedApartToo = shared && pass.tenantAware;
  const inputs = group.flatMap((r) => {
    const tenant = tenantOf(documents(r)) ?? "";
    return documents(r)
      .filter(matched)
      .map((object) => ({ tenant, object: namedApartToo ? namedApart(object) : object }));
  });
  const resources = join(dir, `kyverno-${id}-resources.yaml`);
  // JSON documents: Kyverno reads YAML 1.1, where a plain `on` or `y` written as YAML 1.2 turns into a boolean.
  writeFileSync(resources, inputs.map((r) => JSON.stringify(r.object)).join("\n---\n"));
  if (namedApartToo) {
    const perResource = inputs
      .filter((r) => r.tenant && r.object.metadata?.namespace)
      .map((r) => ({ name: r.object.metadata?.name, values: { [tenantVariable]: r.tenant } }));
    values.policies = pass.policies.map((p) => ({ name: policyName(p), resources: perResource }));
  }
  const valuesFile = join(dir, `kyverno-${id}-values.yaml`);
  writeFileSync(valuesFile, JSON.stringify(values));
  return {
    args: ["apply", ...pass.policies, "--resource", resources, "--values-file", valuesFile],
    cost: pass.policies.length * inputs.length,
    count: inputs.length,
  };
};

const policyName = (file: string): string =>
  /^metadata:\n\s+name:\s*(\S+)/m.exec(readFileSync(file, "utf8"))?.[1] ?? file;

const summaryPattern = /pass: (\d+), fail: (\d+), warn: (\d+), error: (\d+), skip: (\d+)/;

/** A run's verdict: undefined when it found nothing (zero failures, zero errors), else what it said. */
const failureIn = ({ stdout, stderr }: Outcome): string | undefined => {
  const text = `${stdout}\n${stderr}`;
  const summary = summaryPattern.exec(text);
  const [, , fail, , error] = (summary ?? []).map(Number);
  if (summary && fail === 0 && error === 0) return undefined;
  if (!summary) return text.trim().split("\n").slice(-5).join(" | ");
  const violations = text
    .split("\n")
    .filter((l) => / -> resource .* failed:/.test(l) || /^\d+ - /.test(l))
    .join(" ");
  return `${fail} violations, ${error} errors: ${violations}`;
};

/**
 * Renderings per run: one group for up to 500 renderings, to bound a run's memory (a run holds every object it was
 * given), and groups of equal size above that; the split by kind and name already gives several runs to share the
 * cores.
 */
const groupSize = (n: number) => Math.ceil(n / Math.max(1, Math.ceil(n / 500)));

/**
 * The first round of shared runs, `kyverno apply` of every ClusterPolicy to every rendering: the policies that read
 * the tenant from the namespace in their own pass (objects named apart, each with its tenant), the others over the
 * renderings as they are, each pass split by what its rules can select, over groups of renderings.
 */
export const sharedRuns = (
  policies: string[],
  renderings: Rendering[],
  perRun = groupSize(renderings.length),
): Job[] => {
  const objects = renderings.flatMap(documents);
  const passes: Pass[] = [
    { tenantAware: false, policies: policies.filter((p) => !readsTenant(p)) },
    { tenantAware: true, policies: policies.filter(readsTenant) },
  ].flatMap((p) => splitByMatch(p, objects));
  const groups = Array.from({ length: Math.ceil(renderings.length / perRun) }, (_, i) =>
    renderings.slice(i * perRun, (i + 1) * perRun),
  );
  return groups.flatMap((group) => passes.map((pass) => ({ pass, group })));
};

/**
 * Every ClusterPolicy applied to every rendering in shared runs (sharedRuns), each tenant's objects seeing its own
 * namespace labels. One verdict per rendering: pass only if every run does. The first round's inputs are written at
 * once, so a caller can write them while other work runs; `run` then goes in rounds through `kyverno-apply each`: a
 * group a run faults is halved for the next round, until each fault names its rendering.
 */
export const preparePolicies = (
  policies: string[],
  renderings: Rendering[],
  perRun?: number,
): { run: (kyvernoApply: string) => Promise<CheckResult[]> } => {
  // A run given no object can find nothing.
  const commands = (round: Job[]) =>
    round.map((job) => ({ job, command: commandFor(job) })).filter((r) => r.command.count > 0);
  const first = commands(sharedRuns(policies, renderings, perRun));
  const run = async (kyvernoApply: string): Promise<CheckResult[]> => {
    // Each failure with the pass it came from: a rendering's failures are reported in the order of their passes'
    // policies, whatever other renderings shared its runs (the fleet cache merges runs over different renderings).
    const failures = new Map<Rendering, { pass: string; failure: string }[]>();
    let runs = first;
    while (runs.length > 0) {
      const outcomes = await runEach(
        kyvernoApply,
        runs.map((r) => r.command),
      );
      const next = runs.flatMap(({ job: { pass, group } }, i) => {
        const failure = failureIn(outcomes[i] as Outcome);
        if (failure === undefined) return [];
        if (group.length > 1) {
          const half = Math.ceil(group.length / 2);
          return [group.slice(0, half), group.slice(half)].map((g) => ({ pass, group: g }));
        }
        const rendering = group[0] as Rendering;
        const passKey = `${pass.tenantAware}\n${pass.policies.join("\n")}`;
        failures.set(rendering, [...(failures.get(rendering) ?? []), { pass: passKey, failure }]);
        return [];
      });
      runs = commands(next);
    }
    return renderings.map((r): CheckResult => {
      const base = {
        chart: r.fixture.chart,
        fixture: r.fixture.name,
        rung: "policies" as const,
        check: "kyverno apply",
      };
      const failed = failures.get(r);
      if (!failed) return { ...base, ok: true };
      const ordered = failed.sort((a, b) => (a.pass < b.pass ? -1 : a.pass > b.pass ? 1 : 0));
      return { ...base, ok: false, message: ordered.map((f) => f.failure).join("; ") };
    });
  };
  return { run };
};

/** preparePolicies, then its run at once. */
export const applyPolicies = (
  kyvernoApply: string,
  policies: string[],
  renderings: Rendering[],
  perRun?: number,
): Promise<CheckResult[]> => preparePolicies(policies, renderings, perRun).run(kyvernoApply);
