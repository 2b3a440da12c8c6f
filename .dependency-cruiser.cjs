// The architecture as rules, checked by `npm test` (npm run deps). Data flows one way:
// corpus → embed → index → retrieval → answer → briefing → feedback → curation → commands → schedule → transports,
// with text/ and the root modules (config, log, errors, version) below everything, and
// compose.ts/main.ts on top. A folder may import only from the layers before it.
const LAYERS = [
  ["text", "errors.ts", "log.ts", "version.ts", "config.ts"],
  ["store"],
  ["corpus"],
  ["embed"],
  ["index"],
  ["retrieval"],
  ["answer"],
  ["briefing"],
  ["feedback"],
  ["curation"],
  ["commands"],
  ["schedule"],
  ["discord", "terminal"],
  ["compose.ts", "main.ts"],
];
const path = (names) => `^src/(${names.map((n) => n.replace(".", "\\.")).join("|")})(/|$)`;

const layerRules = LAYERS.slice(0, -1).map((layer, i) => ({
  name: `layer-${layer.join("+")}`,
  comment: `${layer.join(", ")} may not import what is built on top of it`,
  severity: "error",
  from: { path: path(layer) },
  to: { path: path(LAYERS.slice(i + 1).flat()) },
}));

module.exports = {
  forbidden: [
    {
      name: "no-cycles",
      comment: "Modules form a tree: a cycle means two modules are one, or an arrow runs backwards.",
      severity: "error",
      from: {},
      to: { circular: true },
    },
    {
      name: "src-stays-inside",
      comment: "The runtime never depends on tools or tests.",
      severity: "error",
      from: { path: "^src/" },
      to: { path: "^(scripts|test)/" },
    },
    {
      name: "scripts-not-test",
      comment: "Scripts and their libraries (bench, eval, the loopback Discord) never import tests.",
      severity: "error",
      from: { path: "^scripts/" },
      to: { path: "^test/" },
    },
    {
      name: "discord-not-terminal",
      comment: "Transports stand side by side: neither imports the other.",
      severity: "error",
      from: { path: "^src/discord/" },
      to: { path: "^src/terminal/" },
    },
    {
      name: "terminal-not-discord",
      severity: "error",
      from: { path: "^src/terminal/" },
      to: { path: "^src/discord/" },
    },
    ...layerRules,
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    enhancedResolveOptions: { exportsFields: ["exports"], conditionNames: ["import", "require", "node", "default"] },
  },
};
