import { gatehouseConfig } from "@gatehouse/eslint-config";

// build.mjs is plain Node (it runs before anything is compiled), outside the tsconfig.
export default [
  { ignores: ["build.mjs"] },
  ...gatehouseConfig(import.meta.dirname, { room: "client" }),
];
