export {
  type ChartDefinition,
  type ChartDocs,
  defineChart,
  effectiveValues,
  renderConcrete,
  renderTemplates,
  type TemplateFn,
} from "./chart.js";
export type { Cond, Helpers, ReleaseInfo } from "./helpers.js";
export {
  defaultsOf,
  documentedValues,
  type JsonSchema,
  mergeValues,
  parameterTable,
  valuesSchema,
} from "./values-model.js";
