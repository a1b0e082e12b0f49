import { defineConfig } from 'vitest/config';

// The dev server (npm run dev) proxies the API and the WebSocket to a backend on 8080
// (./mvnw spring-boot:run), so the page talks to it as it will when the app serves it.
export default defineConfig({
  server: {
    proxy: {
      '/api': 'http://localhost:8080',
      '/actuator': 'http://localhost:8080',
      '/ws': { target: 'ws://localhost:8080', ws: true },
    },
  },
  test: {
    include: ['src/**/*.test.ts'],
  },
});
