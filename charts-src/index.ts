import type { ChartDefinition } from "./lib/engine/index.js";
import { nodepoolsChart } from "./nodepools/chart.js";
import { tenantChart } from "./tenant/chart.js";
import { platformChart } from "./platform/chart.js";

/** Every chart llmcharts generates, by name. */
export const charts: Record<string, ChartDefinition> = {
  nodepools: nodepoolsChart as unknown as ChartDefinition,
  tenant: tenantChart as unknown as ChartDefinition,
  platform: platformChart as unknown as ChartDefinition,
};
