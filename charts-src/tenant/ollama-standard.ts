import type { Helpers } from "../lib/engine/index.js";
import { tierScheduling } from "../lib/scheduling.js";
import { poolNodeLabels, standardPool } from "../nodepools/node-labels.js";
import { hasStandard } from "./identity.js";
import { type OllamaTier, ollamaDeployment, ollamaService } from "./ollama.js";
import type { TenantValues } from "./values.js";

/** Standard Ollama: small models on the CPU pool, scaled by CPU (see scaling.ts), for tier standard or both. */
export const standardTier = (v: TenantValues): OllamaTier => ({
  workload: "ollama-standard",
  tier: "standard",
  scheduling: tierScheduling("standard", poolNodeLabels(standardPool, "standard")),
  settings: v.ollama.standard,
  resources: v.ollama.standard.resources,
});

export const ollamaStandardTemplate = (v: TenantValues, h: Helpers) => [
  h.when(hasStandard(v, h), ollamaDeployment(v, h, standardTier(v))),
  h.when(hasStandard(v, h), ollamaService(v, h, "ollama-standard")),
];
