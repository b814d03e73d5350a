/**
 * Who may use which model: with an admin to sign in as, a container of OpenWebUI's pod grants the standard model to
 * every user and premium to the named groups only; without one, or turned off, nothing is granted by the chart.
 */
import { spawnSync } from "node:child_process";
import { describe, expect, test } from "vitest";
import type { Container } from "../../charts-src/lib/k8s.js";
import { deployment, render } from "./render.js";

const tenant = (more: Record<string, unknown> = {}) =>
  render({
    tenant: { name: "harbour", tier: "both" },
    quota: { gpus: 1 },
    exposure: { host: "chat.harbour.example.com" },
    openwebui: { admin: { email: "admin@harbour.example.com" } },
    ...more,
  });

const modelAccess = (objects: ReturnType<typeof render>): Container | undefined =>
  deployment(objects, "openwebui")?.spec?.template.spec?.containers.find((c) => c.name === "model-access");

const envOf = (c: Container | undefined) => Object.fromEntries((c?.env ?? []).map((e) => [e.name, e]));

describe("with an admin", () => {
  const env = envOf(modelAccess(tenant()));

  test("standard goes to every user, premium to the group premium, by default", () => {
    expect(env.STANDARD_MODEL?.value).toBe("llama3.2:3b");
    expect(env.PREMIUM_MODEL?.value).toBe("llama3.1:70b");
    expect(JSON.parse(env.PREMIUM_GROUPS?.value ?? "")).toEqual(["premium"]);
  });

  test("it signs in as the chart's admin, its password from the tenant's secret, never in plain values", () => {
    expect(env.WEBUI_ADMIN_EMAIL?.value).toBe("admin@harbour.example.com");
    expect(env.WEBUI_ADMIN_PASSWORD?.value).toBeUndefined();
    expect(env.WEBUI_ADMIN_PASSWORD?.valueFrom?.secretKeyRef?.key).toBe("WEBUI_ADMIN_PASSWORD");
  });

  test("the groups are the values'; a standard tenant has no premium model to grant", () => {
    const named = envOf(
      modelAccess(
        tenant({
          openwebui: { admin: { email: "a@h.example.com" }, modelAccess: { premiumGroups: ["gpu-users", "research"] } },
        }),
      ),
    );
    expect(JSON.parse(named.PREMIUM_GROUPS?.value ?? "")).toEqual(["gpu-users", "research"]);
    const standard = envOf(modelAccess(tenant({ tenant: { name: "harbour", tier: "standard" }, quota: { gpus: 0 } })));
    expect(standard.PREMIUM_MODEL).toBeUndefined();
    expect(standard.STANDARD_MODEL?.value).toBe("llama3.2:3b");
  });

  test("it is hardened like OpenWebUI itself: restricted, with ephemeral storage bounded", () => {
    const c = modelAccess(tenant());
    expect(c?.securityContext?.allowPrivilegeEscalation).toBe(false);
    expect(c?.resources?.limits?.["ephemeral-storage"]).toBeDefined();
  });
});

test("without an admin, or turned off, the chart grants nothing (an admin does, in OpenWebUI's panel)", () => {
  expect(modelAccess(tenant({ openwebui: {} }))).toBeUndefined();
  expect(
    modelAccess(tenant({ openwebui: { admin: { email: "a@h.example.com" }, modelAccess: { enabled: false } } })),
  ).toBeUndefined();
});

describe("the premium wake notice, kept by the same container", () => {
  test("on by default: OpenWebUI's filter, asking the wake-up proxy (premium admits no one else) if premium is ready", () => {
    const env = envOf(modelAccess(tenant()));
    expect(env.WAKE_NOTICE_SOURCE?.value).toContain("class Filter");
    expect(env.WAKE_NOTICE_READY_URL?.value).toBe("http://ollama-premium-wake:8080/api/version");
    expect(env.WAKE_NOTICE_USUAL_SECONDS?.value).toBe("240");
    // It stops counting when the proxy gives up on the held chat.
    expect(env.WAKE_NOTICE_GIVE_UP_SECONDS?.value).toBe("600");
  });

  test("the values set the usual wake time; turned off, the container is told to remove the filter", () => {
    const usual = envOf(
      modelAccess(tenant({ openwebui: { admin: { email: "a@h.example.com" }, wakeNotice: { usualSeconds: 45 } } })),
    );
    expect(usual.WAKE_NOTICE_USUAL_SECONDS?.value).toBe("45");
    const off = envOf(
      modelAccess(tenant({ openwebui: { admin: { email: "a@h.example.com" }, wakeNotice: { enabled: false } } })),
    );
    expect(off.WAKE_NOTICE_SOURCE).toBeUndefined();
    expect(off.WAKE_NOTICE_ID?.value).toBe("llmcharts_premium_wake_notice");
  });

  test("the filter and the container's script are Python that OpenWebUI's interpreter compiles", () => {
    const c = modelAccess(tenant());
    const sources = [c?.command?.at(-1) ?? "", envOf(c).WAKE_NOTICE_SOURCE?.value ?? ""];
    for (const source of sources) {
      expect(source).toMatch(/^(import|""")/);
      const compiled = spawnSync("python3", ["-c", "import sys; compile(sys.stdin.read(), 'source', 'exec')"], {
        input: source,
        encoding: "utf8",
      });
      expect(compiled.stderr).toBe("");
      expect(compiled.status).toBe(0);
    }
  });
});
