/**
 * The SPA build. In development the API runs separately (`pnpm --filter @gatehouse/api dev`
 * on :3000) and Vite proxies /trpc, /auth (the single sign-on redirects) and /healthz to it, so
 * cookies stay same-origin.
 */
import path from "node:path";
import tailwindcss from "@tailwindcss/vite";
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

const apiTarget = process.env.GATEHOUSE_API_URL ?? "http://127.0.0.1:3000";

export default defineConfig({
  plugins: [react(), tailwindcss()],
  resolve: {
    alias: { "@": path.resolve(import.meta.dirname, "src") },
  },
  server: {
    proxy: {
      "/trpc": { target: apiTarget, changeOrigin: false },
      // /auth/sso/start and /auth/sso/callback are browser navigations that set the session
      // cookie: through the proxy they stay on the SPA's origin like /trpc.
      "/auth": { target: apiTarget, changeOrigin: false },
      "/healthz": { target: apiTarget, changeOrigin: false },
    },
  },
  build: {
    // The API's CSP forbids inline scripts; Vite emits none, and no inline assets either.
    assetsInlineLimit: 0,
    chunkSizeWarningLimit: 600,
  },
});
