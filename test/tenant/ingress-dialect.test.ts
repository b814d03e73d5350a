/**
 * The Ingress speaks its controller's dialect: ingress-nginx's annotations from the chart's numbers, or for Traefik a
 * buffering Middleware on the upload paths alone (buffering would hold a streamed answer until its end).
 */
import { describe, expect, test } from "vitest";
import type { Ingress } from "../../charts-src/lib/k8s.js";
import { find, render } from "./render.js";

const tenant = (exposure: Record<string, unknown>, more: Record<string, unknown> = {}) =>
  render({ tenant: { name: "harbour" }, exposure: { host: "chat.harbour.example.com", ...exposure }, ...more });

describe("ingress-nginx (the default)", () => {
  test("the upload limit and timeouts become its annotations, and it streams unbuffered", () => {
    const objects = tenant({ uploadLimitMiB: 250, timeoutSeconds: 7200 });
    expect(find(objects, "Ingress", "openwebui")?.metadata.annotations).toEqual({
      "nginx.ingress.kubernetes.io/proxy-body-size": "250m",
      "nginx.ingress.kubernetes.io/proxy-read-timeout": "7200",
      "nginx.ingress.kubernetes.io/proxy-send-timeout": "7200",
      "nginx.ingress.kubernetes.io/proxy-buffering": "off",
    });
    expect(objects.filter((o) => o.kind === "Ingress")).toHaveLength(1);
    expect(objects.some((o) => o.kind === "Middleware")).toBe(false);
  });

  test("the defaults keep the annotations the chart always had: 100m, an hour", () => {
    expect(find(tenant({}), "Ingress", "openwebui")?.metadata.annotations).toMatchObject({
      "nginx.ingress.kubernetes.io/proxy-body-size": "100m",
      "nginx.ingress.kubernetes.io/proxy-read-timeout": "3600",
    });
  });
});

describe("traefik", () => {
  const objects = tenant(
    { uploadLimitMiB: 250, ingress: { className: "traefik", controller: "traefik" } },
    { commonAnnotations: { "example.com/team": "ai" } },
  );

  test("OpenWebUI's Ingress carries no buffering and no other controller's annotations", () => {
    expect(find(objects, "Ingress", "openwebui")?.metadata.annotations).toEqual({ "example.com/team": "ai" });
  });

  test("the upload paths get an Ingress of their own, through the upload-limit Middleware", () => {
    const uploads = find(objects, "Ingress", "openwebui-uploads") as unknown as Ingress;
    expect(uploads.metadata?.annotations?.["traefik.ingress.kubernetes.io/router.middlewares"]).toBe(
      "tenant-harbour-openwebui-upload-limit@kubernetescrd",
    );
    expect(uploads.spec?.rules?.[0]?.host).toBe("chat.harbour.example.com");
    expect(uploads.spec?.rules?.[0]?.http?.paths.map((p) => p.path)).toEqual(["/api/v1/files", "/api/v1/audio"]);
  });

  test("the Middleware refuses a body over uploadLimitMiB", () => {
    expect((find(objects, "Middleware", "openwebui-upload-limit") as unknown as { spec: unknown }).spec).toEqual({
      buffering: { maxRequestBodyBytes: 250 * 1024 * 1024, memRequestBodyBytes: 1024 * 1024 },
    });
  });
});

test("other: nothing but the operator's own annotations", () => {
  const objects = tenant({ ingress: { controller: "other", annotations: { "haproxy.org/timeout-server": "1h" } } });
  expect(find(objects, "Ingress", "openwebui")?.metadata.annotations).toEqual({ "haproxy.org/timeout-server": "1h" });
});

test("an annotation the operator sets wins over the dialect's", () => {
  const objects = tenant({ ingress: { annotations: { "nginx.ingress.kubernetes.io/proxy-body-size": "1g" } } });
  expect(
    find(objects, "Ingress", "openwebui")?.metadata.annotations?.["nginx.ingress.kubernetes.io/proxy-body-size"],
  ).toBe("1g");
});
