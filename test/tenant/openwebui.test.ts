/** OpenWebUI as the chart configures it: offline at start, following its values, several replicas on Postgres starting clean (the runtime suite proves the same with the real application). */
import { ollama, openwebuiRelease } from "../../src/toolchain/pins.js";
import { describe, expect, test } from "vitest";
import { present } from "../rendered.js";
import { render, find, deployment, container, env, value } from "./render.js";

describe("OpenWebUI starts offline and follows its values", () => {
  const objects = render({ tenant: { name: "acme" } });

  test("offline by default: never waits on the Hugging Face hub, and loads no local embedding model", () => {
    expect(value(objects, "OFFLINE_MODE")).toBe("true");
    expect(value(objects, "HF_HUB_OFFLINE")).toBe("1");
    expect(value(objects, "RAG_EMBEDDING_ENGINE")).toBe("ollama");
    expect(value(objects, "RAG_OLLAMA_BASE_URL")).toBe("http://ollama-standard:11434");
  });

  test("static files go to a writable scratch directory (the root filesystem is read-only)", () => {
    expect(value(objects, "STATIC_DIR")).toMatch(/^\/tmp\//);
  });

  test("settings follow the values on every start (no persistent config)", () => {
    expect(value(objects, "ENABLE_PERSISTENT_CONFIG")).toBe("false");
  });

  test("sign-up is off and new accounts are pending by default", () => {
    expect(value(objects, "ENABLE_SIGNUP")).toBe("false");
    expect(value(objects, "DEFAULT_USER_ROLE")).toBe("pending");
  });

  test("the admin is bootstrapped from the tenant's secrets when an e-mail is given", () => {
    const withAdmin = render({ tenant: { name: "acme" }, openwebui: { admin: { email: "ops@acme.example" } } });
    expect(value(withAdmin, "WEBUI_ADMIN_EMAIL")).toBe("ops@acme.example");
    expect(env(withAdmin).WEBUI_ADMIN_PASSWORD?.valueFrom?.secretKeyRef).toEqual({
      name: "openwebui-admin-password",
      key: "WEBUI_ADMIN_PASSWORD",
    });
    expect(find(withAdmin, "ExternalSecret", "openwebui-admin-password")).toBeDefined();
    expect(value(objects, "WEBUI_ADMIN_EMAIL")).toBeUndefined();
  });

  test("the default images are the releases the runtime suite builds and runs", () => {
    const images = ["openwebui", "ollama-standard"].map((d) => container(objects, d)?.image);
    expect(images).toEqual([
      `ghcr.io/open-webui/open-webui:v${openwebuiRelease.version}`,
      `docker.io/ollama/ollama:${ollama.version.replace(/^v/, "")}`,
    ]);
  });
});

describe("several replicas on Postgres start clean", () => {
  const ha = render({
    tenant: { name: "acme" },
    openwebui: {
      replicas: 2,
      persistence: { accessMode: "ReadWriteMany", storageClass: "efs-openwebui" },
      database: { type: "postgres", cidrs: ["10.1.0.0/16"] },
      redis: { enabled: true, cidrs: ["10.2.0.0/16"] },
      vectorDb: "pgvector",
    },
  });
  const pod = present(deployment(ha, "openwebui")?.spec?.template.spec, "the openwebui pod spec");
  const migrations = present(pod.initContainers?.[0], "an init container");
  const app = present(pod.containers[0], "the openwebui container");

  test("the migrations run once, in an init container under a Postgres advisory lock, not in every replica", () => {
    const init = migrations;
    expect(init.name).toBe("migrations");
    const script = init.command?.at(-1);
    expect(script).toContain("pg_advisory_lock(");
    expect(script).toContain("command.upgrade(alembic, 'head')");
    expect(value(ha, "ENABLE_DB_MIGRATIONS")).toBe("false");
    // The same image, database secret, mounts and restricted context as OpenWebUI itself.
    expect(init.image).toBe(app.image);
    expect(init.volumeMounts).toEqual(app.volumeMounts);
    expect(init.securityContext).toEqual(app.securityContext);
    const dbUrl = (c: typeof app) => c.env?.find((e) => e.name === "DATABASE_URL")?.valueFrom;
    expect(dbUrl(init)).toEqual(dbUrl(app));
  });

  test("pgvector is checked before OpenWebUI starts, with the statement a privileged role must run", () => {
    const script = migrations.command?.at(-1);
    expect(script).toContain("extname = 'vector'");
    expect(script).toContain("CREATE EXTENSION vector;");
  });

  test("with SQLite (one replica) OpenWebUI migrates its own file as before", () => {
    const single = render({ tenant: { name: "acme" } });
    expect(deployment(single, "openwebui")?.spec?.template.spec?.initContainers).toBeUndefined();
    expect(value(single, "ENABLE_DB_MIGRATIONS")).toBeUndefined();
  });
});
