/**
 * The values errors a user reads: a cross-field rule names the value that triggered it, once per field at fault.
 */
import { describe, expect, test } from "vitest";
import { charts } from "../../charts-src/index.js";
import { valuesChecker } from "../../src/validate/rung-values.js";

const tenant = charts.tenant;
if (!tenant) throw new Error("the tenant chart is not registered");
const check = valuesChecker(tenant);
const required = {
  tenant: { name: "example" },
  exposure: { host: "chat.example.com" },
  secrets: { roleArn: "arn:aws:iam::123456789012:role/llmcharts-tenant-example" },
  ollama: { modelCache: { volumeHandle: "fs-0123456789abcdef0::fsap-0123456789abcdef0" } },
};

describe("values errors of cross-field rules", () => {
  test("say which value made the rule apply: replicas 3 alone needs Postgres, Redis, pgvector and RWX", () => {
    const errors = check({ ...required, openwebui: { replicas: 3 } });
    expect(errors.map((e) => e.split(":")[0])).toEqual([
      "at '/openwebui/database/type'",
      "at '/openwebui/redis/enabled'",
      "at '/openwebui/vectorDb'",
      "at '/openwebui/persistence/accessMode'",
    ]);
    for (const e of errors) expect(e).toContain("because /openwebui/replicas is 3 ");
  });

  test("name only the branch of the condition that holds", () => {
    const errors = check({ ...required, openwebui: { autoscaling: { enabled: true } } });
    expect(errors.length).toBeGreaterThan(0);
    for (const e of errors) {
      expect(e).toContain("because /openwebui/autoscaling/enabled is true");
      expect(e).not.toContain("/openwebui/replicas is");
    }
  });

  test("premium's fallback count above its maxReplicas is refused, naming both", () => {
    const errors = check({
      ...required,
      tenant: { name: "example", tier: "premium" },
      quota: { gpus: 2 },
      ollama: { ...required.ollama, premium: { scaling: { maxReplicas: 2, fallback: { replicas: 3 } } } },
    });
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(
      /^at '\/ollama\/premium\/scaling\/maxReplicas': 2 must be >= 3.*because \/ollama\/premium\/scaling\/fallback\/replicas is 3/,
    );
  });

  test("a numeric rule (maxReplicas not below minReplicas) names the minimum that set it", () => {
    const errors = check({
      ...required,
      ollama: { ...required.ollama, standard: { autoscaling: { minReplicas: 5, maxReplicas: 3 } } },
    });
    expect(errors, errors.join("\n")).toHaveLength(1);
    expect(errors[0]).toMatch(
      /^at '\/ollama\/standard\/autoscaling\/maxReplicas': 3 must be >= \d.*because \/ollama\/standard\/autoscaling\/minReplicas is 5/,
    );
  });
});
