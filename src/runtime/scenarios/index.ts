/**
 * Rung 6 of the ladder, in the order it runs: the charts' workloads running for real on a real node. Later scenarios
 * use the tenants earlier ones made (`RuntimeMade`). The CLI (`llmcharts test-runtime`) and test/runtime run this list.
 */
import type { RuntimeScenario } from "../context.js";
import { alertsFire } from "./alerts-fire.js";
import { bringUp } from "./bring-up.js";
import { haReady } from "./ha.js";
import { ingressStreams } from "./ingress-streams.js";
import { isolationEnforced } from "./isolation.js";
import { labFromReadme } from "./lab-from-readme.js";
import { logsShipped } from "./logs-shipped.js";
import { catalogGrows, modelsPulled } from "./models-pulled.js";
import { nodeReady } from "./node-ready.js";
import { chatPremium } from "./premium.js";
import { premiumFallsBack } from "./premium-falls-back.js";
import { premiumPerUser } from "./premium-per-user.js";
import { premiumSleepsAndWakes } from "./premium-wake.js";
import { rateLimited } from "./rate-limited.js";
import { secretsSynced } from "./secrets-synced.js";
import { settingsFollowValues } from "./settings.js";
import { spotReclaim } from "./spot-reclaim.js";
import { chatStandard, standardReady } from "./standard.js";
import { standardScales } from "./standard-scales.js";
import { teardown } from "./teardown.js";
import { tokensCounted } from "./tokens-counted.js";
import { tracesShipped } from "./traces-shipped.js";
import { upgradeKeepsChats } from "./upgrade.js";

export const runtimeScenarios: readonly RuntimeScenario[] = [
  bringUp,
  nodeReady,
  modelsPulled,
  standardReady,
  chatStandard,
  catalogGrows,
  alertsFire,
  secretsSynced,
  standardScales,
  chatPremium,
  // After chat-premium: two tenants (alpha, gamma) whose lines must each carry their own label.
  logsShipped,
  tracesShipped,
  ingressStreams,
  tokensCounted,
  rateLimited,
  premiumSleepsAndWakes,
  premiumPerUser,
  premiumFallsBack,
  spotReclaim,
  isolationEnforced,
  settingsFollowValues,
  upgradeKeepsChats,
  // Last: its two replicas would only slow the scenarios after it.
  haReady,
  // After every other: it uninstalls the suite's releases, so the lab starts from a cluster with no chart installed.
  labFromReadme,
  teardown,
];

export { bringUp, teardown };
