import { join } from "node:path";

/** Helm's own state (caches, config, registry logins, plugins) under a directory of ours, never the user's. */
export const isolatedHelmEnv = (home: string): NodeJS.ProcessEnv => ({
  ...process.env,
  HELM_CACHE_HOME: join(home, "cache"),
  HELM_CONFIG_HOME: join(home, "config"),
  HELM_DATA_HOME: join(home, "data"),
});
