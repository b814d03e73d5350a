import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, expect, test } from "vitest";
import { writeFleet } from "../../scripts/fleet.js";
import type { ExternalSecret, KubeObject, NetworkPolicy } from "../../charts-src/lib/k8s.js";
import { documents } from "../../src/validate/documents.js";
import { userFixture } from "../../src/validate/fixtures.js";
import { chartDir } from "../../src/validate/helm.js";
import { renderers, renderMany } from "../../src/validate/helm-render.js";
import { applyPolicies } from "../../src/validate/kyverno-apply.js";
import type { Rendering } from "../../src/validate/renderings.js";
import { policyFiles } from "../../src/validate/rung-policies.js";
import { requireBin } from "../../src/toolchain/tools.js";
import { loadBalancer, privileged, tampered, unlabelled } from "./tampered.js";

const root = process.cwd();
const work = mkdtempSync(join(tmpdir(), "llmcharts-kyverno-batch-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

// Tenants sharing one Kyverno run must each be judged with their own tenant: a NetworkPolicy may select its own
// tenant's namespaces but no other's, and an ExternalSecret may read only under its own tenant's path.
test("tenants sharing a Kyverno run are each judged as their own tenant, as in a run of their own", async () => {
  const files = writeFleet(join(work, "fleet"), 4, 7);
  const [helm4] = renderers();
  const outcomes = await renderMany((helm4 as { exe: string }).exe, chartDir(root, "tenant"), files, join(work, "out"));
  const [own, foreign, secret, plain] = files.map((path, i) => ({
    fixture: userFixture("tenant", path),
    file: outcomes[i]?.file ?? "",
    objects: outcomes[i]?.objects,
  })) as Rendering[];
  const tenantOfFile = (r: Rendering) =>
    documents(r).find((d) => d.kind === "Namespace")?.metadata?.labels?.["llmcharts.io/tenant"] ?? "";
  const selecting = (tenant: string) => (o: KubeObject) => {
    if (o.kind !== "NetworkPolicy" || o.metadata?.name !== "openwebui") return;
    (o as NetworkPolicy).spec?.ingress?.[0]?.from?.push({
      namespaceSelector: { matchLabels: { "llmcharts.io/tenant": tenant } },
    });
  };
  const renderings = [
    tampered(own as Rendering, selecting(tenantOfFile(own as Rendering))),
    tampered(foreign as Rendering, selecting(tenantOfFile(plain as Rendering))),
    tampered(secret as Rendering, (o) => {
      if (o.kind !== "ExternalSecret") return;
      for (const d of (o as ExternalSecret).spec?.data ?? [])
        d.remoteRef.key = `llmcharts/tenants/${tenantOfFile(plain as Rendering)}/stolen`;
    }),
    plain as Rendering,
  ];
  const kyverno = requireBin("kyverno-apply");
  const verdicts = (perRun: number) =>
    applyPolicies(kyverno, policyFiles(root), renderings, perRun).then((rs) =>
      rs.map((r) => [r.ok, (r.message ?? "").match(/no-cross-tenant-netpol|tenant-secret-paths/)?.[0] ?? ""]),
    );
  const expected = [
    [true, ""],
    [false, "no-cross-tenant-netpol"],
    [false, "tenant-secret-paths"],
    [true, ""],
  ];
  expect(await verdicts(4)).toEqual(expected);
  expect(await verdicts(1)).toEqual(expected);
});

// A shared run gives each object only the policies whose rules can select it, by kind and by name (a run per set of
// policies): a violation of any of them, on a workload (through Kyverno's autogen rules for Pod controllers), a
// Service, a Namespace or the one NetworkPolicy a rule selects by name, must still fail exactly the tenant whose
// rendering holds it, and name the policy.
test("a shared run split by kind and name still names the one tenant that breaks each policy", async () => {
  const files = writeFleet(join(work, "kinds"), 5, 11);
  const [helm4] = renderers();
  const outcomes = await renderMany(
    (helm4 as { exe: string }).exe,
    chartDir(root, "tenant"),
    files,
    join(work, "kinds-out"),
  );
  const [workload, service, namespace, named, plain] = files.map((path, i) => ({
    fixture: userFixture("tenant", path),
    file: outcomes[i]?.file ?? "",
    objects: outcomes[i]?.objects,
  })) as Rendering[];
  const renderings = [
    tampered(workload as Rendering, privileged),
    tampered(service as Rendering, loadBalancer),
    tampered(namespace as Rendering, unlabelled),
    // The platform generates default-deny-all in each tenant namespace; a rendering that ships one of its own, open,
    // is what default-deny refuses (its rule selects NetworkPolicies by that name only).
    tampered(named as Rendering, (o) => {
      if (o.kind !== "NetworkPolicy" || o.metadata?.name !== "tenant-default-deny") return;
      o.metadata.name = "default-deny-all";
      (o as NetworkPolicy).spec = { ...(o as NetworkPolicy).spec, ingress: [{}] };
    }),
    plain as Rendering,
  ];
  const results = await applyPolicies(requireBin("kyverno-apply"), policyFiles(root), renderings, 5);
  expect(
    results.map((r) => [
      r.ok,
      (r.message ?? "").match(/tenant-pod-hardening|tenant-namespace-labels|default-deny-stays-closed/g)?.[0] ?? "",
    ]),
  ).toEqual([
    [false, "tenant-pod-hardening"],
    [false, "tenant-pod-hardening"],
    [false, "tenant-namespace-labels"],
    [false, "default-deny-stays-closed"],
    [true, ""],
  ]);
  expect(results[0]?.message).toMatch(/no-privileged-containers/);
  expect(results[1]?.message).toMatch(/no-load-balancer-services/);
});
