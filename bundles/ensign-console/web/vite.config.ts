import { defineConfig } from 'vite';

// The app goes into the bundle's classes, where bnd packs it as console/; everything it needs is bundled there: no
// CDN, no font or script from elsewhere at run time. Served under /console/, where every client route gets the page,
// so its assets are addressed from there.
export default defineConfig({
  base: '/console/',
  esbuild: { jsx: 'automatic', jsxImportSource: 'preact' },
  build: { outDir: '../target/classes/console', emptyOutDir: true, sourcemap: false, chunkSizeWarningLimit: 400 },
});
