import preact from "@preact/preset-vite";
import { defineConfig } from "vite";

// Served by the API under /console (src/api/console); no CDN, everything is bundled here.
export default defineConfig({
  root: import.meta.dirname,
  base: "/console/",
  plugins: [preact()],
  build: { outDir: "dist", emptyOutDir: true, target: "es2022", sourcemap: false },
});
