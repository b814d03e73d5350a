export {
  type ChartDefinition,
  defineChart,
  effectiveValues,
  renderConcrete,
  renderTemplates,
  type TemplateFn,
} from "./chart.js";
export { type Cond, concreteHelpers, type Helpers, type ReleaseInfo } from "./helpers.js";
export {
  defaultsOf,
  documentedValues,
  type JsonSchema,
  mergeValues,
  parameterTable,
  valuesSchema,
} from "./values-model.js";
