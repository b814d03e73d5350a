import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { checkUniqueness, type TenantFacts, tenantFacts } from "../../src/validate/fleet-invariants.js";
import { userFixture } from "../../src/validate/fixtures.js";
import type { Rendering } from "../../src/validate/renderings.js";

// The tenant chart derives namespace and secret paths from the tenant name, so no pair of values files can make them
// collide alone; these renderings, written by hand, prove each claim is checked on its own.
const dir = mkdtempSync(join(tmpdir(), "llmcharts-uniqueness-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const rendering = (path: string, objects: object[]): TenantFacts => {
  const file = join(dir, `${path.replaceAll("/", "_")}.yaml`);
  writeFileSync(file, objects.map((o) => JSON.stringify(o)).join("\n---\n"));
  const r: Rendering = { fixture: { ...userFixture("tenant", "/dev/null"), name: path, path }, file };
  return tenantFacts(r);
};
const namespace = (name: string, tenant: string) => ({
  apiVersion: "v1",
  kind: "Namespace",
  metadata: { name, labels: { "llmcharts.io/tenant": tenant } },
});
const externalSecret = (ns: string, key: string) => ({
  apiVersion: "external-secrets.io/v1",
  kind: "ExternalSecret",
  metadata: { name: "db", namespace: ns },
  spec: { data: [{ secretKey: "url", remoteRef: { key } }] },
});

describe("fleet uniqueness", () => {
  test("distinct tenants pass", () => {
    const rs = checkUniqueness([
      rendering("a.yaml", [namespace("tenant-a", "a"), externalSecret("tenant-a", "llmcharts/tenants/a/db")]),
      rendering("b.yaml", [namespace("tenant-b", "b"), externalSecret("tenant-b", "llmcharts/tenants/b/db")]),
    ]);
    expect(rs.map((r) => r.ok)).toEqual([true]);
  });

  test("one namespace for two tenant names is a collision", () => {
    const [r, ...more] = checkUniqueness([
      rendering("a.yaml", [namespace("tenant-shared", "a")]),
      rendering("b.yaml", [namespace("tenant-shared", "b")]),
    ]);
    expect(more).toEqual([]);
    expect(r?.message).toBe(
      "collides with a.yaml: both claim namespace tenant-shared; give each tenant its own tenant.name",
    );
  });

  test("one secret path read by two tenants is a collision", () => {
    const [r] = checkUniqueness([
      rendering("a.yaml", [namespace("tenant-a", "a"), externalSecret("tenant-a", "llmcharts/tenants/a/db")]),
      rendering("b.yaml", [namespace("tenant-b", "b"), externalSecret("tenant-b", "llmcharts/tenants/a/db")]),
    ]);
    expect(r?.fixture).toBe("b.yaml");
    expect(r?.message).toContain("secret path llmcharts/tenants/a/db");
  });

  test("three tenants on one name make two collisions, each with the first claimant", () => {
    const rs = checkUniqueness(["a", "b", "c"].map((p) => rendering(`${p}.yaml`, [namespace("tenant-x", "x")])));
    expect(rs.map((r) => [r.fixture, r.message?.split(":")[0]])).toEqual([
      ["b.yaml", "collides with a.yaml"],
      ["c.yaml", "collides with a.yaml"],
    ]);
  });
});
