import type { Command } from "commander";
import { seconds } from "../lib/run.js";
import { ensureToolchainFor } from "../toolchain/ensure.js";
import { buildableImages as catalog, buildImages } from "./build.js";

/** Adds `images build [names...]`. */
export const registerImagesCommands = (program: Command): Command => {
  const images = program.command("images").description("the container images the real node runs, built here");
  images
    .command("build")
    .description(
      `build the images the cache lacks (${catalog.map((i) => i.name).join(", ")}; without names, all but validator); cached by content`,
    )
    .argument("[names...]", "only these images")
    .action(async (names: string[]) => {
      const start = Date.now();
      try {
        await ensureToolchainFor("images build", (line) => console.error(line));
        // The validator image holds the static toolchain, so that group must be built first.
        if (names.includes("validator")) await ensureToolchainFor("npm start", (line) => console.error(line));
        const built = await buildImages(names);
        console.log(
          `${built.length} passed, 0 failed (${built.filter((b) => b.outcome === "built").length} built, ${seconds(Date.now() - start)})`,
        );
      } catch (err) {
        console.error((err as Error).message);
        console.log("0 passed, 1 failed");
        process.exitCode = 1;
      }
    });
  return images;
};
