export { default } from './lint/tooling.eslint.config.mjs';
