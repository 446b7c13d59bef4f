import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitepress';
import type { DefaultTheme } from 'vitepress';

// The API sidebar is written by typedoc (typedoc-vitepress-theme) at build time; absent until `pnpm api` ran.
const apiSidebarFile = fileURLToPath(new URL('../api/typedoc-sidebar.json', import.meta.url));
const apiSidebar: DefaultTheme.SidebarItem[] = existsSync(apiSidebarFile)
  ? (JSON.parse(readFileSync(apiSidebarFile, 'utf8')) as DefaultTheme.SidebarItem[])
  : [];

const guide: DefaultTheme.SidebarItem[] = [
  {
    text: 'Start here',
    items: [
      { text: 'Getting started', link: '/guide/getting-started' },
      { text: 'What backpropagation is', link: '/guide/what-is-backprop' },
      { text: 'Step by step: a two-layer network', link: '/guide/step-by-step' },
      { text: 'The chain rule, checked', link: '/guide/chain-rule' },
    ],
  },
  {
    text: 'Training, explained',
    items: [
      { text: 'The learning rate', link: '/guide/learning-rate' },
      { text: 'Vanishing gradients', link: '/guide/vanishing-gradients' },
      { text: 'Exploding gradients', link: '/guide/exploding-gradients' },
      { text: 'Batch, mini-batch, stochastic', link: '/guide/batch-size' },
      { text: 'Loss functions', link: '/guide/loss-functions' },
    ],
  },
];

const howTo: DefaultTheme.SidebarItem[] = [
  {
    text: 'How-to guides',
    items: [
      { text: 'Sequential models', link: '/how-to/sequential' },
      { text: 'Custom layers', link: '/how-to/custom-layers' },
      { text: 'Custom ops with defineOp', link: '/how-to/custom-ops' },
      { text: 'Callbacks', link: '/how-to/callbacks' },
      { text: 'Datasets', link: '/how-to/datasets' },
      { text: 'Saving, loading, exporting', link: '/how-to/saving-loading' },
      { text: 'Choosing a backend', link: '/how-to/backends' },
      { text: 'Performance tips', link: '/how-to/performance' },
      { text: 'Migrating from TensorFlow.js', link: '/how-to/migrating-from-tfjs' },
    ],
  },
];

export default defineConfig({
  title: 'backprop',
  description: 'Train neural networks by backpropagation in TypeScript, and learn how it works.',
  cleanUrls: true,
  // The API index's text: typedoc merges it into api/index.md, which is where it is served.
  srcExclude: ['api-index.md'],
  lastUpdated: false,
  markdown: {
    config(md) {
      // Inline code is not compiled by Vue: generated API pages quote TSDoc such as `{{`, which Vue would
      // otherwise read as an interpolation.
      const inline = md.renderer.rules.code_inline!;
      md.renderer.rules.code_inline = (tokens, idx, options, env, self) => {
        tokens[idx]!.attrSet('v-pre', '');
        return inline(tokens, idx, options, env, self);
      };
    },
  },
  themeConfig: {
    nav: [
      { text: 'Guide', link: '/guide/getting-started' },
      { text: 'How-to', link: '/how-to/sequential' },
      { text: 'API', link: '/api/' },
      { text: 'Contributing', link: '/contributing' },
    ],
    sidebar: {
      '/guide/': [...guide, ...howTo],
      '/how-to/': [...howTo, ...guide],
      '/api/': [{ text: 'API reference', link: '/api/' }, ...apiSidebar],
      '/contributing': [{ text: 'Contributing', link: '/contributing' }],
    },
    search: { provider: 'local' },
    outline: [2, 3],
  },
});
