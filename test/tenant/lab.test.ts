/** A one-node lab: no EFS, External Secrets or KEDA controller needed. */
import { describe, expect, test } from "vitest";
import type { PersistentVolume } from "../../charts-src/lib/k8s.js";
import { ofKind, present } from "../rendered.js";
import { render, container, env } from "./render.js";

describe("a one-node lab needs no EFS, External Secrets or KEDA controller", () => {
  const lab = render({
    tenant: { name: "lab" },
    secrets: { existingSecret: "lab-secrets" },
    ollama: { modelCache: { source: "hostPath", hostPath: "/srv/models" }, image: { pullPolicy: "Never" } },
  });

  test("an existing Secret replaces the External Secrets objects, and every secret variable reads it", () => {
    expect(lab.filter((o) => o.apiVersion.startsWith("external-secrets.io")).map((o) => o.kind)).toEqual([]);
    expect(env(lab).WEBUI_SECRET_KEY?.valueFrom?.secretKeyRef?.name).toBe("lab-secrets");
  });

  test("the model cache can be a node directory, still mounted read-only", () => {
    const pv = present(ofKind<PersistentVolume>(lab, "PersistentVolume")[0], "the model cache's PersistentVolume");
    expect(pv.spec?.hostPath).toEqual({ path: "/srv/models", type: "Directory" });
    expect(pv.spec?.csi).toBeUndefined();
    const mount = present(container(lab, "ollama-standard")?.volumeMounts?.[0], "Ollama's model cache mount");
    expect(mount.readOnly).toBe(true);
  });

  test("imagePullPolicy Never is accepted (images imported into the node)", () => {
    expect(container(lab, "ollama-standard")?.imagePullPolicy).toBe("Never");
  });
});
