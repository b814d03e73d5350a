/** Where the project lives and publishes: the links every chart's Chart.yaml and README carry. */
const home = "https://github.com/llmcharts/llmcharts";

export const project = {
  home,
  license: "Apache-2.0",
  icon: "https://raw.githubusercontent.com/llmcharts/llmcharts/main/assets/icon.svg",
  /** The OCI repository releases are published to (`llmcharts publish --registry`). */
  registry: "oci://ghcr.io/llmcharts/charts",
  changelog: `${home}/blob/main/CHANGELOG.md`,
  /** The release's public signing keys (the repository's KEYS file), as operators download it. */
  keys: "https://raw.githubusercontent.com/llmcharts/llmcharts/main/KEYS",
  maintainers: [{ name: "llmcharts", email: "platform@llmcharts.io" }],
  source: (chart: string): string => `${home}/tree/main/charts-src/${chart}`,
  readme: (chart: string): string => `${home}/blob/main/generated/${chart}/README.md`,
} as const;
