import { defineConfig } from 'vitepress';

export default defineConfig({
  title: 'backprop',
  description: 'Train neural networks by backpropagation in TypeScript, and learn how it works.',
  cleanUrls: true,
  themeConfig: {
    nav: [{ text: 'Guide', link: '/guide/getting-started' }],
    sidebar: [
      {
        text: 'Guide',
        items: [{ text: 'Getting started', link: '/guide/getting-started' }],
      },
    ],
  },
});
