/** The `llmcharts` arguments that install what `npm start` or `npm test` needs (see bootstrap.mjs). */
export declare const toolsInstallArgs: (mode: "start" | "test") => string[];
