/** Each tier's Ollama, and what OpenWebUI offers of it: only that tier's catalog. */
import { describe, expect, test } from "vitest";
import type { Rendered } from "../rendered.js";
import { render, container, value } from "./render.js";

describe("each tier offers only its own catalog", () => {
  const configs = (objects: Rendered[]) => JSON.parse(value(objects, "OLLAMA_API_CONFIGS") ?? "null");

  test("in tier both, the standard connection offers only the standard model and the premium one only the premium", () => {
    const both = render({
      tenant: { name: "acme", tier: "both" },
      ollama: { standard: { model: "llama3.2:3b" }, premium: { model: "llama3.1:8b", gpus: 1 } },
    });
    expect(value(both, "OLLAMA_BASE_URLS")).toBe("http://ollama-standard:11434;http://ollama-premium-wake:8080");
    expect(configs(both)).toEqual({
      "0": { model_ids: ["llama3.2:3b", "llama3.2:3b:latest"] },
      "1": { model_ids: ["llama3.1:8b", "llama3.1:8b:latest"] },
    });
  });

  test("each tier's Ollama mounts only its tier's catalog of the cache, read-only", () => {
    const both = render({
      tenant: { name: "acme", tier: "both" },
      ollama: { premium: { model: "llama3.1:8b", gpus: 1 } },
    });
    for (const tier of ["standard", "premium"]) {
      const mounts = container(both, `ollama-${tier}`)?.volumeMounts ?? [];
      expect(mounts.find((m) => m.name === "model-cache")).toEqual({
        name: "model-cache",
        mountPath: "/models",
        subPath: tier,
        readOnly: true,
      });
    }
  });

  test("a model named without a tag is matched as Ollama lists it (name:latest)", () => {
    const standard = render({ tenant: { name: "acme" }, ollama: { standard: { model: "phi3" } } });
    expect(configs(standard)).toEqual({ "0": { model_ids: ["phi3", "phi3:latest"] } });
  });
});
