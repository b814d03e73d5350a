import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 120_000,
    hookTimeout: 180_000,
    // Tests run real tools (helm, kubeconform, kyverno, a control plane) that already use both cores.
    fileParallelism: false,
  },
});
