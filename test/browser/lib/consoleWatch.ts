/**
 * Everything the editor page reports that could be an error: console errors and warnings, uncaught
 * exceptions, failed requests and HTTP error responses. Each is tagged with the step it happened in.
 *
 * Policy: every console error, uncaught exception and HTTP error is a failure unless one of the NOISE
 * rules below explains it. A rule names one exact thing n8n itself does on a fresh, offline instance;
 * anything else that mentions FanPass is never noise. Warnings
 * only count when they mention FanPass (n8n's editor warns about its own internals a lot).
 */
import type { ConsoleMessage, Page, Request, Response } from 'playwright-core';

export interface PageEvent {
	step: string;
	kind: 'console.error' | 'console.warning' | 'pageerror' | 'requestfailed' | 'http';
	text: string;
	url?: string;
}

interface NoiseRule {
	/** why this is n8n's own behaviour and not caused by the package */
	why: string;
	matches: (event: PageEvent) => boolean;
	/** the rule is about a request n8n makes with the package's name in it: it may mention FanPass */
	namesThePackage?: boolean;
}

const OURS = /fanpass/i;

const failedLoad = (e: PageEvent) => e.kind === 'requestfailed' || e.kind === 'http' || e.kind === 'console.error';
const urlPath = (e: PageEvent) => (e.url ? new URL(e.url).pathname : '');

export const NOISE: NoiseRule[] = [
	{
		why: 'before signing in, the editor asks GET /rest/login whether a session exists; n8n answers 401 and Chromium logs that response as a console error',
		matches: (e) => e.step === 'sign in' && (e.kind === 'http' || e.kind === 'console.error') && urlPath(e) === '/rest/login',
	},
	{
		why: 'this n8n runs offline (CI has no internet): what the editor fetches from n8n.io services (banners, templates, version notices, telemetry) fails, and n8n 1.x logs "Failed to fetch dynamic banners"',
		matches: (e) =>
			(failedLoad(e) && !!e.url && /^https?:\/\/([a-z0-9-]+\.)*n8n\.(io|cloud)\//i.test(e.url)) ||
			(e.kind === 'console.error' && e.text.startsWith('Failed to fetch dynamic banners')),
	},
	{
		why: "n8n's node panel shows a footer for community nodes that fetches the package's metadata from https://registry.npmjs.org/<package> (CommunityNodeFooter in editor-ui); it fails where the machine has no direct internet, or answers 404 while the package is not published",
		matches: (e) => failedLoad(e) && !!e.url && e.url.startsWith('https://registry.npmjs.org/n8n-nodes-fanpass'),
		namesThePackage: true,
	},
	{
		why: "n8n asks for an optional output-schema preview of every node it shows as an input (GET /schemas/<node type>/<version>/<resource>/<operation>.json, the __schema__ files n8n's own nodes ship); the package ships none, n8n gets 404 and shows no preview, as for any community node without them",
		matches: (e) => (e.kind === 'http' || e.kind === 'console.error') && urlPath(e).startsWith('/schemas/n8n-nodes-fanpass.fanPass/') && (e.kind === 'console.error' || e.text.endsWith('→ 404')),
		namesThePackage: true,
	},
	{
		why: 'the credential modal of n8n 1.x asks for external secrets (an enterprise feature); without a licence the endpoint does not exist and answers 404',
		matches: (e) => (e.kind === 'http' || e.kind === 'console.error') && urlPath(e) === '/rest/external-secrets/secrets',
	},
	{
		why: "n8n 1.x's AI assistant (a licensed feature) asks POST /rest/ai/sessions/metadata after a save; without a licence n8n answers 403 \"Plan lacks license for this feature\" and logs \"Failed to fetch sessions metadata\"",
		matches: (e) =>
			((e.kind === 'http' || e.kind === 'console.error') && urlPath(e) === '/rest/ai/sessions/metadata') ||
			(e.kind === 'console.error' && e.text.startsWith('Failed to fetch sessions metadata')),
	},
	{
		why: "n8n 1.x's version-notification store copies settings.versionNotifications, undefined at that point, and reads its .enabled: an uncaught TypeError in versions.store on the sign-in page, before any node is shown",
		matches: (e) => e.step === 'sign in' && e.kind === 'pageerror' && e.text.includes("reading 'enabled'") && /\/assets\/versions\.store-[\w-]+\.js/.test(e.text),
	},
];

export function isOurs(event: PageEvent): boolean {
	return OURS.test(event.text) || OURS.test(event.url ?? '');
}

export function noiseRuleFor(event: PageEvent): NoiseRule | undefined {
	const rule = NOISE.find((r) => r.matches(event));
	return rule && (rule.namesThePackage || !isOurs(event)) ? rule : undefined;
}

export class ConsoleWatch {
	readonly events: PageEvent[] = [];
	step = 'start';

	constructor(page: Page) {
		page.on('console', (message: ConsoleMessage) => {
			const type = message.type();
			if (type !== 'error' && type !== 'warning') return;
			const url = message.location().url || undefined;
			this.events.push({ step: this.step, kind: type === 'error' ? 'console.error' : 'console.warning', text: message.text(), url });
		});
		page.on('pageerror', (error: Error) => {
			this.events.push({ step: this.step, kind: 'pageerror', text: `${error.name}: ${error.message}\n${error.stack ?? ''}` });
		});
		page.on('requestfailed', (request: Request) => {
			const reason = request.failure()?.errorText ?? 'failed';
			// a navigation cancels what the previous page still had in flight: not an error
			if (reason === 'net::ERR_ABORTED') return;
			this.events.push({ step: this.step, kind: 'requestfailed', text: `${request.method()} ${request.url()}: ${reason}`, url: request.url() });
		});
		page.on('response', (response: Response) => {
			if (response.status() < 400) return;
			this.events.push({ step: this.step, kind: 'http', text: `${response.request().method()} ${response.url()} → ${response.status()}`, url: response.url() });
		});
	}

	/** Events that fail the test: errors not explained by a noise rule, and warnings that mention FanPass. */
	problems(): PageEvent[] {
		return this.events.filter((e) => (e.kind === 'console.warning' ? isOurs(e) : !noiseRuleFor(e)));
	}

	/** Events a noise rule explained, with the rule's reason. */
	ignored(): Array<{ event: PageEvent; why: string }> {
		return this.events.flatMap((event) => {
			if (event.kind === 'console.warning') return [];
			const rule = noiseRuleFor(event);
			return rule ? [{ event, why: rule.why }] : [];
		});
	}

	warnings(): PageEvent[] {
		return this.events.filter((e) => e.kind === 'console.warning');
	}
}
