export { registerClusterCommands } from "./cli.js";
export { kwokNodeSelector } from "./components.js";
export {
  type ClusterInfo,
  ClusterStartError,
  type ClusterStatus,
  type ComponentStatus,
  clusterDown,
  clusterStatus,
  clusterUp,
  type DownOptions,
  type DownReport,
  type UpOptions,
} from "./control-plane.js";
