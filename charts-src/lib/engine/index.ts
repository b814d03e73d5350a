export {
  type ChartDefinition,
  type ChartDocs,
  type TroubleshootingEntry,
  defineChart,
  effectiveValues,
  type Manifests,
  missingValueLine,
  missingValues,
  type RequiredValue,
  refuseMissingValues,
  type PartialValues,
  renderConcrete,
  renderTemplates,
  type ShippedValues,
  type TemplateFn,
} from "./chart.js";
export { ValuesRefused } from "./markers.js";
export { type Cond, concreteHelpers, type Helpers, type ReleaseInfo, type Test } from "./helpers.js";
export {
  defaultsOf,
  documentedValues,
  type JsonSchema,
  mergeValues,
  parameterTable,
  valuesSchema,
} from "./values-model.js";
