import { defineConfig, type Plugin } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';
import { CONNECT_SRC_ENV, contentSecurityPolicy, parseConnectSrc } from './src/server/csp.ts';

/**
 * The Content-Security-Policy as a `<meta>` in the built index.html, for static hosting
 * (`npm start` also sends it as a header, with `frame-ancestors`). Its connect-src is the
 * app, the default sync servers and whatever `VITRINE_CONNECT_SRC` names at build time.
 * Build only: `vite dev` injects its own client and styles.
 */
function cspMeta(): Plugin {
  const policy = contentSecurityPolicy({
    connectSrc: parseConnectSrc(process.env[CONNECT_SRC_ENV]),
    frameAncestors: false,
  });
  return {
    name: 'vitrine-csp-meta',
    apply: 'build',
    transformIndexHtml: () => [
      {
        tag: 'meta',
        attrs: { 'http-equiv': 'Content-Security-Policy', content: policy },
        injectTo: 'head-prepend',
      },
    ],
  };
}

/**
 * The app build. vite-plugin-pwa writes the web manifest and a Workbox service worker
 * (`/sw.js`) that precaches every built asset, so after the first visit the app starts
 * with no network at all. `src/main.ts` registers the worker itself (injectRegister: false)
 * so that it only runs in production builds.
 */
export default defineConfig({
  build: {
    target: 'es2022',
    sourcemap: true,
    chunkSizeWarningLimit: 1500,
  },
  server: { host: '127.0.0.1' },
  preview: { host: '127.0.0.1' },
  plugins: [
    cspMeta(),
    VitePWA({
      strategies: 'generateSW',
      registerType: 'autoUpdate',
      injectRegister: false,
      filename: 'sw.js',
      includeAssets: ['icon.svg', 'icon-192.png', 'icon-512.png'],
      manifest: {
        name: 'Vitrine',
        short_name: 'Vitrine',
        description: 'A local-first notebook for your professional network.',
        start_url: '/',
        scope: '/',
        display: 'standalone',
        background_color: '#f6f5f1',
        theme_color: '#2f6f5e',
        icons: [
          { src: '/icon.svg', sizes: 'any', type: 'image/svg+xml', purpose: 'any' },
          { src: '/icon-192.png', sizes: '192x192', type: 'image/png' },
          { src: '/icon-512.png', sizes: '512x512', type: 'image/png' },
          { src: '/icon-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
        ],
      },
      workbox: {
        globPatterns: ['**/*.{js,css,html,svg,png,webmanifest}'],
        navigateFallback: '/index.html',
        // The graph chunk (Cytoscape) is large; it must be precached for offline start.
        maximumFileSizeToCacheInBytes: 8 * 1024 * 1024,
        clientsClaim: true,
        skipWaiting: true,
        cleanupOutdatedCaches: true,
        // The daily digest's background check and notification clicks (decision 0016).
        importScripts: ['reminders-sw.js'],
      },
    }),
  ],
});
