/** The browser test's noise filter must only swallow the n8n behaviours it names, never an error of ours. */
import { noiseRuleFor, type PageEvent } from './lib/consoleWatch';

const event = (partial: Partial<PageEvent>): PageEvent => ({ step: 'node panel', kind: 'console.error', text: 'x', ...partial });

describe('browser console noise rules', () => {
	it("ignores the editor's anonymous session probe only while signing in", () => {
		const probe = { kind: 'http' as const, text: 'GET http://127.0.0.1:5678/rest/login → 401', url: 'http://127.0.0.1:5678/rest/login' };
		expect(noiseRuleFor(event({ ...probe, step: 'sign in' }))).toBeDefined();
		expect(noiseRuleFor(event({ ...probe, step: 'credential' }))).toBeUndefined();
	});

	it('ignores failed requests to n8n.io services, not to other hosts', () => {
		const kind = 'requestfailed' as const;
		expect(noiseRuleFor(event({ kind, url: 'https://api.n8n.io/api/banners?x=1' }))).toBeDefined();
		expect(noiseRuleFor(event({ kind, url: 'https://fanpass-api.fanreachdata.io/api/v1/segments' }))).toBeUndefined();
		expect(noiseRuleFor(event({ kind, url: 'https://n8n.io.evil.example/' }))).toBeUndefined();
	});

	it("never ignores an error that mentions FanPass unless the rule is about the package's own npm/schema lookups", () => {
		expect(noiseRuleFor(event({ kind: 'pageerror', text: 'TypeError: cannot read x of FanPass.node.js' }))).toBeUndefined();
		expect(noiseRuleFor(event({ text: 'Failed to fetch dynamic banners: fanPassApi broke' }))).toBeUndefined();
		expect(noiseRuleFor(event({ kind: 'requestfailed', url: 'https://registry.npmjs.org/n8n-nodes-fanpass' }))).toBeDefined();
		expect(noiseRuleFor(event({ kind: 'requestfailed', url: 'https://registry.npmjs.org/some-other-package' }))).toBeUndefined();
	});

	it('ignores a missing schema preview (404) but not a server error for it, nor other FanPass assets', () => {
		const schema = 'http://127.0.0.1:5678/schemas/n8n-nodes-fanpass.fanPass/1.0.0/segment/upsert.json';
		expect(noiseRuleFor(event({ kind: 'http', text: `GET ${schema} → 404`, url: schema }))).toBeDefined();
		expect(noiseRuleFor(event({ kind: 'http', text: `GET ${schema} → 500`, url: schema }))).toBeUndefined();
		const icon = 'http://127.0.0.1:5678/icons/n8n-nodes-fanpass/dist/icons/fanpass.svg';
		expect(noiseRuleFor(event({ kind: 'http', text: `GET ${icon} → 404`, url: icon }))).toBeUndefined();
	});

	it("ignores n8n 1.x's version-store TypeError only on the sign-in page", () => {
		const text = "TypeError: Cannot read properties of undefined (reading 'enabled')\n    at ComputedRefImpl.fn (http://127.0.0.1:5678/assets/versions.store-B3fLm2pt.js:50:44)";
		expect(noiseRuleFor(event({ kind: 'pageerror', step: 'sign in', text }))).toBeDefined();
		expect(noiseRuleFor(event({ kind: 'pageerror', step: 'form: Upsert a segment', text }))).toBeUndefined();
	});
});
