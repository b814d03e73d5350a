/** Tenants sharing services stay apart, and what Argo CD keeps is what Helm keeps. */
import { describe, expect, test } from "vitest";
import { render, find, value } from "./render.js";

describe("tenants sharing services stay apart, and Argo CD keeps what Helm keeps", () => {
  test("each tenant's Redis keys carry its own prefix", () => {
    const shared = {
      database: { type: "postgres", cidrs: ["10.1.0.0/16"] },
      redis: { enabled: true, cidrs: ["10.2.0.0/16"] },
    };
    const prefixes = ["acme", "globex"].map((name) =>
      value(render({ tenant: { name }, openwebui: shared }), "REDIS_KEY_PREFIX"),
    );
    expect(prefixes).toEqual(["open-webui:acme", "open-webui:globex"]);
  });

  test("the Namespace and the data claim are neither pruned nor deleted by Argo CD", () => {
    const objects = render({ tenant: { name: "acme" } });
    for (const o of [
      find(objects, "Namespace", "tenant-acme"),
      find(objects, "PersistentVolumeClaim", "openwebui-data"),
    ]) {
      expect(o?.metadata.annotations?.["argocd.argoproj.io/sync-options"]).toBe("Prune=false,Delete=false");
    }
  });
});
