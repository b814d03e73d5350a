import type { Command } from "commander";
import { seconds } from "../lib/run.js";
import { ensureToolchainFor } from "../toolchain/ensure.js";
import { buildImages } from "./build.js";
import { images as catalog } from "./catalog.js";

/** Adds `images build [names...]`. */
export const registerImagesCommands = (program: Command): Command => {
  const images = program.command("images").description("the container images the real node runs, built here");
  images
    .command("build")
    .description(`build every image the cache lacks (${catalog.map((i) => i.name).join(", ")}); cached by content`)
    .argument("[names...]", "only these images")
    .action(async (names: string[]) => {
      const start = Date.now();
      try {
        await ensureToolchainFor("images build", (line) => console.error(line));
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
