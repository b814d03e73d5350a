import { goBuildCache, goModCache } from "./cache.js";

/**
 * Environment for every `go` command: modules only from the proxy (no direct VCS, so failures are fast and clear),
 * caches outside the repo, static binaries, and the machine's own Go (no toolchain switching behind our back), unless
 * a pin names the Go release it needs (`toolchain`, fetched from the proxy).
 */
export const goEnv = (noSumDb: string[] = [], toolchain = "local"): NodeJS.ProcessEnv => ({
  ...process.env,
  GOMODCACHE: goModCache(),
  GOCACHE: goBuildCache(),
  GOPROXY: "https://proxy.golang.org",
  GOTOOLCHAIN: toolchain,
  CGO_ENABLED: "0",
  GOFLAGS: "-mod=mod -buildvcs=false",
  GONOSUMDB: noSumDb.join(","),
  GOWORK: "off",
});
