import { kubernetesSchemaVersions } from "../../src/toolchain/pins.js";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import type { Fixture } from "../../src/validate/fixtures.js";
import { checkManifests } from "../../src/validate/rung-manifests.js";

const tmp = mkdtempSync(join(tmpdir(), "llmcharts-manifests-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** One file per object, so each verdict maps back to the object it is about. */
const rendering = (name: string, yaml: string) => {
  const file = join(tmp, `${name}.yaml`);
  writeFileSync(file, yaml);
  const fixture: Fixture = { chart: "tenant", name, path: file, kind: "good", values: {} };
  return { fixture, file };
};

const interceptorRoute = (spec: string) => `apiVersion: http.keda.sh/v1beta1
kind: InterceptorRoute
metadata:
  name: ollama-premium
  namespace: tenant-orion
spec:
${spec}`;

const target = `  target:
    service: ollama-premium
    port: 11434
`;
const routing = `  rules:
    - hosts: [ollama-premium.tenant-orion.svc]
      paths: [{ value: /api }]
  scalingMetric:
    concurrency: { targetValue: 1 }
  timeouts:
    readiness: 120s
`;

// The tenant's request-holding interceptor reads these; kubeconform knows them only from the pinned HTTP add-on CRDs.
describe("the manifests rung, on the KEDA HTTP add-on's kinds", () => {
  test("accepts a valid InterceptorRoute and HTTPScaledObject, and refuses a route without its target", async () => {
    const results = await checkManifests([
      rendering("route", interceptorRoute(target + routing)),
      rendering("no-target", interceptorRoute(routing)),
      rendering(
        "scaled-object",
        `apiVersion: http.keda.sh/v1alpha1
kind: HTTPScaledObject
metadata:
  name: ollama-premium
  namespace: tenant-orion
spec:
  hosts: [ollama-premium.tenant-orion.svc]
  scaleTargetRef:
    service: ollama-premium
    port: 11434
`,
      ),
    ]);
    const verdicts = results.map((r) => [r.fixture, r.check, r.ok, r.message]);
    for (const version of kubernetesSchemaVersions) {
      const check = `kubeconform ${version}`;
      expect(verdicts).toContainEqual(["route", check, true, undefined]);
      expect(verdicts).toContainEqual(["scaled-object", check, true, undefined]);
      expect(verdicts).toContainEqual([
        "no-target",
        check,
        false,
        "InterceptorRoute/ollama-premium: /spec: missing property 'target'",
      ]);
    }
    expect(results).toHaveLength(6);
  });
});
