/**
 * The platform's own workloads (the model pull Jobs, the snapshot CronJobs, the log collector) meet the hardening the tenant's pods
 * meet: every container bounded in CPU, memory and ephemeral storage, the pods run as a high non-root uid, and the
 * CronJobs have a starting deadline. test/audit has third-party auditors judge them against the tenant's pods.
 */
import { describe, expect, it } from "vitest";
import type { Container, CronJob, DaemonSet, Job, PodSpec } from "../../charts-src/lib/k8s.js";
import { platformChart } from "../../charts-src/platform/chart.js";
import { ofKind, type Rendered, renderChart } from "../rendered.js";

const release = { name: "platform", namespace: "llmcharts-system", chartVersion: platformChart.version };

/** Everything the chart can run at once: the cache's pull Jobs, the weekly snapshot CronJobs and the log collector. */
const everyWorkload = renderChart(
  "platform",
  {
    modelCache: { enabled: true, fileSystemId: "fs-0a1b2c3d4e5f60718", accessPointId: "fsap-0123456789abcdef0" },
    storage: { snapshots: { enabled: true, schedule: { enabled: true, hour: 1, minute: 30 } } },
    tenants: [{ name: "acme", tier: "standard", costCentre: "CC-1" }],
    logs: { enabled: true, endpoint: "https://otlp.logs.example.com", egress: { cidr: "203.0.113.0/24" } },
  },
  release,
);

/**
 * Pods that run as root, each with the reason: the test fails for any other, and for one of these that no longer
 * needs to.
 */
const rootByNeed: Record<string, string> = {
  "DaemonSet/log-collector":
    "reads the kubelet's log files, root's with mode 0640; no capability, so it reads what root owns and no more",
};

const podSpecs = (objects: Rendered[]): { name: string; spec: PodSpec }[] =>
  [
    ...ofKind<Job>(objects, "Job").map((j) => ({ name: `Job/${j.metadata.name}`, spec: j.spec?.template.spec })),
    ...ofKind<DaemonSet>(objects, "DaemonSet").map((d) => ({
      name: `DaemonSet/${d.metadata.name}`,
      spec: d.spec?.template.spec,
    })),
    ...ofKind<CronJob>(objects, "CronJob").map((c) => ({
      name: `CronJob/${c.metadata.name}`,
      spec: c.spec?.jobTemplate.spec?.template.spec,
    })),
  ].flatMap(({ name, spec }) => (spec ? [{ name, spec }] : []));

const containersOf = (spec: PodSpec): Container[] => [...(spec.initContainers ?? []), ...spec.containers];

describe("the platform's workloads are hardened like the tenant's pods", () => {
  const pods = podSpecs(everyWorkload);

  it("renders pull Jobs and snapshot CronJobs to judge", () => {
    expect(pods.some((p) => p.name.startsWith("Job/model-pull-"))).toBe(true);
    expect(pods.some((p) => p.name.startsWith("CronJob/tenant-snapshots-"))).toBe(true);
    expect(pods.some((p) => p.name === "DaemonSet/log-collector")).toBe(true);
  });

  it("every container requests and is limited in CPU, memory and ephemeral storage", () => {
    const unbounded = pods.flatMap(({ name, spec }) =>
      containersOf(spec).flatMap((c) =>
        ["cpu", "memory", "ephemeral-storage"].flatMap((r) =>
          c.resources?.requests?.[r] && c.resources?.limits?.[r] ? [] : [`${name} ${c.name}: ${r}`],
        ),
      ),
    );
    expect(unbounded).toEqual([]);
  });

  it("every CronJob has a starting deadline: a missed run is skipped, and 100 of them never stop the CronJob", () => {
    const cronJobs = ofKind<CronJob>(everyWorkload, "CronJob");
    expect(cronJobs.length).toBeGreaterThan(0);
    expect(cronJobs.filter((c) => !(c.spec?.startingDeadlineSeconds ?? 0)).map((c) => c.metadata.name)).toEqual([]);
  });

  it("every pod runs as a non-root uid and gid above 10000, outside the host's own users, but those that need root", () => {
    const low = pods.flatMap(({ name, spec }) => {
      const sc = spec.securityContext ?? {};
      return (sc.runAsUser ?? 0) > 10000 && (sc.runAsGroup ?? 0) > 10000 && sc.runAsNonRoot ? [] : [name];
    });
    expect(low.sort()).toEqual(Object.keys(rootByNeed).sort());
  });

  it("a pod that runs as root holds no capability, cannot escalate, and writes nothing of its image", () => {
    const root = pods.filter(({ name }) => name in rootByNeed);
    expect(root.length).toBe(Object.keys(rootByNeed).length);
    for (const { name, spec } of root) {
      for (const c of containersOf(spec)) {
        expect(c.securityContext, `${name} ${c.name}`).toMatchObject({
          privileged: false,
          allowPrivilegeEscalation: false,
          readOnlyRootFilesystem: true,
          capabilities: { drop: ["ALL"] },
        });
        expect(c.securityContext?.capabilities?.add, `${name} ${c.name}`).toBeUndefined();
      }
    }
  });
});
