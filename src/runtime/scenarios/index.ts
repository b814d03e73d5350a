/** The runtime scenarios, in the order they run (later ones use the tenants earlier ones installed). */
import type { Scenario } from "../suite.js";
import { haReady } from "./ha.js";
import { isolationEnforced } from "./isolation.js";
import { nodeReady } from "./node-ready.js";
import { chatPremium } from "./premium.js";
import { premiumWakes } from "./premium-wake.js";
import { settingsFollowValues } from "./settings.js";
import { chatStandard, standardReady } from "./standard.js";
import { upgradeKeepsChats } from "./upgrade.js";

export const runtimeScenarios: { id: string; scenario: Scenario }[] = [
  { id: "node-ready", scenario: nodeReady },
  { id: "standard-ready", scenario: standardReady },
  { id: "chat-standard", scenario: chatStandard },
  { id: "chat-premium", scenario: chatPremium },
  { id: "premium-wakes", scenario: premiumWakes },
  { id: "isolation-enforced", scenario: isolationEnforced },
  { id: "settings-follow-values", scenario: settingsFollowValues },
  { id: "upgrade-keeps-chats", scenario: upgradeKeepsChats },
  // Last: its two replicas would only slow the scenarios after it.
  { id: "ha", scenario: haReady },
];
