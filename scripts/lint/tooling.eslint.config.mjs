// The one ESLint config for development tooling: sandbox/, scripts/ and test/ each have an
// eslint.config.mjs that re-exports this. Tooling is not node code: it runs on the developer's
// machine and in CI, so it may use process, timers, fs and child processes; n8n's community-node
// rules (the root eslint.config.mjs, n8n's template) apply to nodes/, credentials/ and package.json.
//
// ESLint 9 reads nested configs only with ESLINT_FLAGS=unstable_config_lookup_from_file
// (`npm run lint` sets it); ESLint 10 does so by default, but n8n's lint plugins need ESLint 9.
import { globalIgnores } from 'eslint/config';
import tseslint from 'typescript-eslint';

export default tseslint.config(globalIgnores(['**/fixtures/**/*.json']), {
	files: ['**/*.ts'],
	extends: [tseslint.configs.recommended],
	rules: {
		// tooling parses untyped JSON (n8n's CLI output, sandbox replies) where `any` is the honest type
		'@typescript-eslint/no-explicit-any': 'off',
		'@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
	},
});
