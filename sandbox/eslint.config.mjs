export { default } from '../scripts/lint/tooling.eslint.config.mjs';
