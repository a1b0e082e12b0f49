import { defineConfig } from 'vitest/config';

const backend = 'http://localhost:8080';

// `npm run dev` serves the page with hot reload and proxies the API and the WebSocket to a backend
// on 8080 (./mvnw spring-boot:run), so the page talks to it as it will when the app serves it.
// `npm run build` writes into target/, where Maven packs it into the jar's static resources.
export default defineConfig({
  esbuild: {
    // Preact's JSX, without a plugin
    jsx: 'automatic',
    jsxImportSource: 'preact',
  },
  build: {
    outDir: '../target/frontend',
    emptyOutDir: true,
    // one small app: no chunk warnings for uPlot
    chunkSizeWarningLimit: 200,
  },
  server: {
    proxy: {
      '/api': backend,
      '/actuator': backend,
      // the Host header passes through unchanged, so the page's origin (this dev server) is the
      // server's "own" origin for the /ws origin check, as when the app serves the page itself
      '/ws': { target: backend, ws: true },
    },
  },
  test: {
    include: ['src/**/*.test.ts'],
  },
});
