const LOCAL_HOSTS = /^(localhost|127(?:\.\d{1,3}){3}|\[::1\])$/i;

/** `scheme://user:password@` at the start of a URL-ish text (the userinfo part, parsed or not). */
const USERINFO = /^([a-z][a-z0-9+.-]*:\/*)[^/?#]*@/i;

/** The text with any user name and password before the host replaced by "…", for messages. */
export function redactUserinfo(text: string): string {
	return text.replace(USERINFO, '$1…@');
}

export const USERINFO_MESSAGE =
	'The API Host in the FanPass credential contains a user name or password (the part before "@"). FanPass authenticates with the API Token only, and a user name or password in the address would replace the token with Basic authentication. Remove everything between "://" and "@", e.g. https://fanpass-api.fanreachdata.io.';

/** True when the text has a user name or password before its host, e.g. https://user:pw@host. */
export const hasUserinfo = (text: string): boolean => USERINFO.test(text.trim());

/**
 * Normalises and checks the credential's API host, so a typo or an unsafe host fails with a
 * clear message. Messages never repeat a user name or password the host may hold.
 */
export function normaliseBaseUrl(value: unknown, allowInsecureHttp = false): string {
	const raw = typeof value === 'string' ? value.trim().replace(/\/+$/, '') : '';
	const shown = redactUserinfo(raw);
	let url: URL | undefined;
	try {
		url = new URL(raw);
	} catch {
		url = undefined;
	}
	if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
		throw new Error(
			`The API Host in the FanPass credential ("${shown}") is not an http(s) URL. Use https://fanpass-api.fanreachdata.io, or your sandbox's address such as http://127.0.0.1:5680.`,
		);
	}
	if (url.username !== '' || url.password !== '' || hasUserinfo(raw)) throw new Error(USERINFO_MESSAGE);
	if (url.protocol === 'http:' && !LOCAL_HOSTS.test(url.hostname) && !allowInsecureHttp) {
		throw new Error(
			`The API Host in the FanPass credential ("${shown}") uses plain http:// to a remote host, which would send the API token unencrypted. Use https://, or turn on "Allow Plain HTTP to a Remote Host (Insecure)" in the credential if you really mean it.`,
		);
	}
	return raw;
}
