/**
 * Third-party auditors judge the platform's own workloads (the model pull Jobs, the snapshot CronJobs) by the
 * tenant's pods: whatever kube-score or checkov finds on a platform workload, it also finds on a pod of the tenant
 * chart (every tier, and the lab's), so the platform asks no more trust than a tenant. The charts are rendered by
 * Helm, as an operator or Argo CD renders them; checkov runs once over all the renderings, kube-score once on each.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseAllDocuments, stringify } from "yaml";
import type { Job, Named } from "../../charts-src/lib/k8s.js";
import { tenantRoleName } from "../../charts-src/lib/tenant-iam.js";
import { run, runStep } from "../../src/lib/run.js";
import { kubernetes } from "../../src/toolchain/pins.js";
import { requireBin } from "../../src/toolchain/tools.js";
import { chartDir, helmTemplate } from "../../src/validate/helm.js";

const root = join(import.meta.dirname, "..", "..");
const fixture = (chart: string, name: string) => join(root, "charts-src", chart, "fixtures", "good", `${name}.yaml`);

/** The kinds that run pods: what the auditors' pod checks judge. */
const workloadKinds = ["Pod", "Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job", "CronJob"];

/**
 * Checks a platform workload may fail although no tenant pod does, because no tenant pod is comparable. Each entry
 * says why; the test fails when an entry is no longer needed. Empty: the platform fails nothing the tenant passes.
 */
const notComparable: Record<string, string> = {};

/**
 * Findings one platform workload may have, by object, each with why: the log collector runs as root to read the
 * kubelet's root-owned log files (test/platform/hardening.test.ts proves it holds no capability and cannot escalate).
 * Any other finding on it still counts, and the test fails when one of these no longer appears.
 */
const excusedOn: Record<string, { checks: string[]; why: string }> = {
  "DaemonSet/llmcharts-logs/log-collector": {
    checks: ["checkov CKV_K8S_23", "checkov CKV_K8S_40", "kube-score container-security-context-user-group-id"],
    why: "uid 0: the kubelet writes the log files it reads as root, mode 0640",
  },
};
const excused = (f: Finding) => excusedOn[f.object]?.checks.includes(`${f.auditor} ${f.check}`) ?? false;

interface Rendering {
  name: string;
  chart: "platform" | "tenant";
  /** Values files over the chart's defaults, in Helm's order. */
  values: string[];
  /** Values written for this rendering, over `values`. */
  overlay?: unknown;
}

/** A tenant of one tier on the chart's defaults, in a namespace of its own (the auditors see one cluster). */
const tenantOfTier = (tier: "standard" | "premium" | "both"): Rendering => {
  const name = `audit-${tier}`;
  return {
    name: `tenant-${tier}`,
    chart: "tenant",
    values: [fixture("tenant", "defaults")],
    overlay: {
      tenant: { name, tier },
      secrets: { roleArn: `arn:aws:iam::123456789012:role/${tenantRoleName(name)}` },
      ...(tier === "standard" ? {} : { quota: { gpus: 1 } }),
    },
  };
};

const renderings: Rendering[] = [
  // Every workload the platform renders: the pull Jobs of a full catalog, the snapshot CronJobs of each weekday and
  // the log collector DaemonSet.
  {
    name: "platform",
    chart: "platform",
    values: [
      fixture("platform", "defaults"),
      fixture("platform", "full-catalog"),
      fixture("platform", "backup-and-io2"),
      fixture("platform", "logs-to-loki"),
    ],
  },
  // The one-node lab's pull Jobs: the cache in a node directory, filled from a private registry over plain HTTP.
  {
    name: "platform-lab",
    chart: "platform",
    values: [join(root, "generated", "platform", "values-lab.yaml")],
    overlay: { modelCache: { mirror: { registry: "models.lab-registry:5000", insecure: true } } },
  },
  tenantOfTier("standard"),
  tenantOfTier("premium"),
  tenantOfTier("both"),
  { name: "tenant-lab", chart: "tenant", values: [join(root, "generated", "tenant", "values-lab.yaml")] },
];

/** What an auditor found wrong with one object. */
interface Finding {
  auditor: "kube-score" | "checkov";
  check: string;
  /** `Kind/namespace/name`. */
  object: string;
  kind: string;
  rendering: string;
  says: string;
}

/** Every object an auditor judged, by rendering, and what it found. */
interface Audit {
  judged: { auditor: Finding["auditor"]; rendering: string; object: string }[];
  findings: Finding[];
}

const objectId = (kind: string, namespace: string | undefined, name: string) => `${kind}/${namespace ?? ""}/${name}`;

interface KubeScoreObject {
  type_meta: { kind: string };
  object_meta: { name: string; namespace?: string };
  checks: {
    check: { id: string; name: string };
    grade: number;
    skipped: boolean;
    comments: { path?: string; summary: string }[] | null;
  }[];
}

/** kube-score's every check, the optional ones too; the oldest Kubernetes the charts support. */
const kubeScore = async (file: string, rendering: string): Promise<Audit> => {
  const exe = requireBin("kube-score");
  const checks = (await runStep("kube-score list", exe, ["list"])).stdout
    .trim()
    .split("\n")
    .map((line) => line.split(","))
    .filter((fields) => fields.at(-1) === "optional")
    .map(([id]) => id as string);
  const minor = kubernetes.oldestSupported.split(".").slice(0, 2).join(".");
  const args = ["score", "--output-format", "json", "--kubernetes-version", minor];
  const res = await run(exe, [...args, ...checks.flatMap((id) => ["--enable-optional-test", id]), file]);
  // Exit 1 means it found something critical; anything else is a failure to run.
  if (res.exitCode > 1) throw new Error(`kube-score failed (exit ${res.exitCode}): ${res.stderr}`);
  const objects = JSON.parse(res.stdout) as KubeScoreObject[];
  const id = (o: KubeScoreObject) => objectId(o.type_meta.kind, o.object_meta.namespace, o.object_meta.name);
  return {
    judged: objects.map((o) => ({ auditor: "kube-score" as const, rendering, object: id(o) })),
    findings: objects.flatMap((o) =>
      o.checks
        // 10 is kube-score's "all OK"; 7 "almost OK", 5 a warning, 1 critical.
        .filter((c) => !c.skipped && c.grade < 10)
        .map((c) => ({
          auditor: "kube-score" as const,
          check: c.check.id,
          object: id(o),
          kind: o.type_meta.kind,
          rendering,
          says: [...new Set((c.comments ?? []).map((m) => `${m.path ? `${m.path}: ` : ""}${m.summary}`))].join(", "),
        })),
    ),
  };
};

interface CheckovResult {
  check_id: string;
  check_name: string;
  resource: string;
  file_path: string;
}

/**
 * checkov's Kubernetes checks over a folder of renderings (one subfolder each), offline: no download of Prisma
 * Cloud's guidelines or policies (BC_SKIP_MAPPING, --skip-download), which would otherwise be retried for a minute.
 */
const checkov = async (dir: string): Promise<Audit> => {
  const res = await run(
    requireBin("checkov"),
    ["--directory", dir, "--framework", "kubernetes", "--output", "json", "--compact", "--skip-download"],
    { env: { ...process.env, BC_SKIP_MAPPING: "TRUE" } },
  );
  if (res.exitCode > 1) throw new Error(`checkov failed (exit ${res.exitCode}): ${res.stderr}`);
  const report = JSON.parse(res.stdout) as {
    results: { passed_checks: CheckovResult[]; failed_checks: CheckovResult[] };
    summary: { parsing_errors: number };
  };
  if (report.summary.parsing_errors > 0) throw new Error(`checkov could not parse ${dir}: ${res.stderr}`);
  const about = (r: CheckovResult) => {
    // A resource is `Kind.namespace.name`; names and namespaces hold no dots.
    const [kind, namespace, name] = r.resource.split(".") as [string, string, string];
    return { kind, object: objectId(kind, namespace, name), rendering: r.file_path.split("/").at(-2) as string };
  };
  const { passed_checks: passed, failed_checks: failed } = report.results;
  return {
    judged: [...passed, ...failed].map((r) => ({ auditor: "checkov" as const, ...about(r) })),
    findings: failed.map((r) => ({ auditor: "checkov" as const, check: r.check_id, says: r.check_name, ...about(r) })),
  };
};

/** One line per object: each finding the tenant's pods do not share, with what the auditor said. */
const beyondTenant = (platform: Finding[], tenant: Finding[]): string[] => {
  const shared = new Set(tenant.map((f) => `${f.auditor} ${f.check}`));
  const byObject = new Map<string, string[]>();
  for (const f of platform) {
    const key = `${f.auditor} ${f.check}`;
    if (shared.has(key) || key in notComparable || excused(f)) continue;
    byObject.set(f.object, [...(byObject.get(f.object) ?? []), `${key} (${f.says})`]);
  }
  return [...byObject].map(([object, found]) => `${object}: ${[...new Set(found)].join("; ")}`).sort();
};

/**
 * A pull Job stripped of the hardening: no resources, no identity, the default security context. The auditors judge
 * it beside the charts, so that the comparison is seen to catch what it exists to catch.
 */
const unhardened = (job: Job): Job => {
  const spec = job.spec?.template.spec;
  if (!spec) throw new Error("the pull Job has no pod spec");
  return {
    ...job,
    metadata: { ...job.metadata, name: "model-pull-unhardened" },
    spec: {
      ...job.spec,
      template: {
        ...job.spec?.template,
        spec: {
          ...spec,
          securityContext: {},
          containers: spec.containers.map(({ resources: _r, securityContext: _s, ...c }) => c),
        },
      },
    },
  } as Job;
};

const ofChart = (chart: Rendering["chart"]) => (rendering: string) =>
  renderings.some((r) => r.chart === chart && r.name === rendering);
const isPlatform = ofChart("platform");
const isTenant = ofChart("tenant");

const workloads = (findings: Finding[], rendering: (name: string) => boolean) =>
  findings.filter((f) => workloadKinds.includes(f.kind) && rendering(f.rendering));

describe("the platform's workloads pass every audit the tenant's pods pass", () => {
  let dir: string;
  const audits: Audit[] = [];
  const findings = () => audits.flatMap((a) => a.findings);
  const judged = () => audits.flatMap((a) => a.judged);
  const platformJobs: string[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "llmcharts-audit-"));
    const files = await Promise.all(
      renderings.map(async (r) => {
        const overlay = join(dir, `${r.name}-overlay.yaml`);
        if (r.overlay) writeFileSync(overlay, stringify(r.overlay));
        const [first, ...rest] = [...r.values, ...(r.overlay ? [overlay] : [])];
        const res = await helmTemplate(requireBin("helm"), {
          chartDir: chartDir(root, r.chart),
          release: r.chart,
          namespace: "tenants",
          valuesFile: first,
          args: rest.flatMap((f) => ["-f", f]),
        });
        if (res.exitCode !== 0) throw new Error(`helm template ${r.name}: ${res.stderr}`);
        mkdirSync(join(dir, "renderings", r.name), { recursive: true });
        const file = join(dir, "renderings", r.name, `${r.name}.yaml`);
        writeFileSync(file, res.stdout);
        return { rendering: r.name, file };
      }),
    );
    const platformFile = files.find((f) => f.rendering === "platform")?.file as string;
    const docs = parseAllDocuments(readFileSync(platformFile, "utf8")).map((d) => d.toJS() as { kind?: string });
    const jobs = docs.filter((d): d is Named<Job> => d?.kind === "Job");
    platformJobs.push(...jobs.map((j) => j.metadata.name));
    mkdirSync(join(dir, "renderings", "unhardened"));
    const weak = join(dir, "renderings", "unhardened", "unhardened.yaml");
    writeFileSync(weak, stringify(unhardened(jobs[0] as Job)));
    files.push({ rendering: "unhardened", file: weak });
    audits.push(
      ...(await Promise.all([
        checkov(join(dir, "renderings")),
        ...files.map(({ file, rendering }) => kubeScore(file, rendering)),
      ])),
    );
  }, 300_000);

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("judges every pull Job and snapshot CronJob, the lab's pull Jobs and the tenant's pods, with both auditors", () => {
    expect(platformJobs.length).toBeGreaterThan(1);
    for (const auditor of ["kube-score", "checkov"]) {
      const seen = judged()
        .filter((j) => j.auditor === auditor)
        .map((j) => `${j.rendering} ${j.object}`);
      const count = (prefix: string) => new Set(seen.filter((s) => s.startsWith(prefix))).size;
      expect(count("platform Job/"), auditor).toBe(platformJobs.length);
      // One CronJob per weekday.
      expect(count("platform CronJob/"), auditor).toBe(7);
      expect(count("platform-lab Job/"), auditor).toBeGreaterThan(0);
      for (const tenant of renderings.filter((r) => r.chart === "tenant")) {
        expect(count(`${tenant.name} Deployment/`), `${auditor} ${tenant.name}`).toBeGreaterThan(0);
      }
    }
  });

  it("finds nothing on a platform workload that it does not find on the tenant's pods", () => {
    const tenant = workloads(findings(), isTenant);
    // The tenant's pods are not spotless: the comparison needs findings on both sides to mean something.
    expect(tenant.length).toBeGreaterThan(0);
    expect(beyondTenant(workloads(findings(), isPlatform), tenant)).toEqual([]);
  });

  it("catches a pull Job without resources or identity, naming the object and each check", () => {
    const tenant = workloads(findings(), isTenant);
    const report = beyondTenant(
      workloads(findings(), (r) => r === "unhardened"),
      tenant,
    );
    expect(report).toHaveLength(1);
    expect(report[0]).toMatch(/^Job\/llmcharts-platform\/model-pull-unhardened: /);
    for (const check of [
      "kube-score container-resources",
      "kube-score container-ephemeral-storage-request-and-limit",
      "kube-score container-security-context-user-group-id",
      "checkov CKV_K8S_40",
    ]) {
      expect(report[0]).toContain(check);
    }
  });

  it("judges the log collector, and excuses on it only the root findings it still has", () => {
    for (const auditor of ["kube-score", "checkov"]) {
      expect(judged().some((j) => j.auditor === auditor && j.object === "DaemonSet/llmcharts-logs/log-collector")).toBe(
        true,
      );
    }
    const found = new Set(workloads(findings(), isPlatform).map((f) => `${f.object} ${f.auditor} ${f.check}`));
    const stale = Object.entries(excusedOn).flatMap(([object, { checks }]) =>
      checks.filter((check) => !found.has(`${object} ${check}`)).map((check) => `${object} ${check}`),
    );
    expect(stale).toEqual([]);
  });

  it("keeps the allowlist to checks a platform workload still fails and no tenant pod does", () => {
    const tenant = new Set(workloads(findings(), isTenant).map((f) => `${f.auditor} ${f.check}`));
    const platform = new Set(workloads(findings(), isPlatform).map((f) => `${f.auditor} ${f.check}`));
    expect(Object.keys(notComparable).filter((key) => tenant.has(key) || !platform.has(key))).toEqual([]);
  });
});
