import { defineConfig } from 'vite';

// Everything the page needs is bundled: no CDN, no font or script from elsewhere at run time.
export default defineConfig({
  base: './',
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: false },
});
