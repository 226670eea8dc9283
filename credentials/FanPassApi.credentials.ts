import type {
	IAuthenticateRuleResponseCode,
	IAuthenticateRuleResponseSuccessBody,
	Icon,
	ICredentialTestRequest,
	ICredentialDataDecryptedObject,
	ICredentialType,
	IHttpRequestOptions,
	INodeProperties,
} from 'n8n-workflow';

const USERINFO_MESSAGE =
	'The API Host contains a user name or password (the part before "@"). FanPass authenticates with the API Token only, and a user name or password in the address would replace the token with Basic authentication. Remove everything between "://" and "@", e.g. https://fanpass-api.fanreachdata.io.';

/** `scheme://…@` before the host: a user name or password in the address. */
const USERINFO = /^[a-z][a-z0-9+.-]*:\/*[^/?#]*@/i;

/**
 * Adds the Bearer token. A plain function rather than an `=Bearer {{…}}` expression: n8n then
 * needs no expression evaluation per request (measured as half of a request's cost in n8n). It
 * also refuses an API Host with a user name or password, in the credential Test as in runs: the
 * HTTP client would send those as Basic auth instead of the token.
 */
async function authenticate(
	credentials: ICredentialDataDecryptedObject,
	requestOptions: IHttpRequestOptions,
): Promise<IHttpRequestOptions> {
	for (const address of [requestOptions.baseURL, requestOptions.url, credentials.baseUrl]) {
		if (typeof address === 'string' && USERINFO.test(address.trim())) throw new Error(USERINFO_MESSAGE);
	}
	const token = typeof credentials.apiToken === 'string' ? credentials.apiToken.trim() : '';
	requestOptions.headers = { ...requestOptions.headers, Authorization: `Bearer ${token}` };
	return requestOptions;
}

const UNAUTHORIZED_MESSAGE =
	'The API access token is missing or invalid. Please verify that you are using the correct FanPass API token, which is available in the Fanreach Portal.';

/**
 * Every FanPass status except 400 must fail the Test: a good token posted with an empty body
 * gets 400 ("Missing required fields"), a bad one 401, a wrong host 404 or a proxy's 5xx.
 */
const STATUSES_THAT_FAIL_THE_TEST = Array.from({ length: 300 }, (_, i) => 300 + i).filter(
	(status) => status !== 400,
);

/**
 * n8n 1.x ignores every HTTP status (it has no `except`) and only looks at the body: there, a FanPass
 * envelope's own status field must fail the Test, e.g. the 404 of an API Host with a wrong path.
 */
const ENVELOPE_STATUSES_THAT_FAIL_THE_TEST = [403, 404, 405, 409, 413, 415, 422, 429, 500, 502, 503, 504];

const rules: Array<IAuthenticateRuleResponseCode | IAuthenticateRuleResponseSuccessBody> = [
	// n8n 2.x: the 401 is thrown (it is in `except`) and matched here.
	{ type: 'responseCode', properties: { value: 401, message: UNAUTHORIZED_MESSAGE } },
	// n8n versions that ignore every status: the envelope's own status field says 401.
	{ type: 'responseSuccessBody', properties: { key: 'status', value: 401, message: UNAUTHORIZED_MESSAGE } },
	...ENVELOPE_STATUSES_THAT_FAIL_THE_TEST.map(
		(status): IAuthenticateRuleResponseSuccessBody => ({
			type: 'responseSuccessBody',
			properties: {
				key: 'status',
				value: status,
				message: `FanPass answered HTTP ${status} at this API Host: check the API Host (for production https://fanpass-api.fanreachdata.io, without a path).`,
			},
		}),
	),
];

export class FanPassApi implements ICredentialType {
	name = 'fanPassApi';

	displayName = 'FanPass API';

	icon: Icon = { light: 'file:../icons/fanpass.svg', dark: 'file:../icons/fanpass.dark.svg' };

	documentationUrl = 'https://github.com/n8n-nodes-fanpass/n8n-nodes-fanpass#credentials';

	properties: INodeProperties[] = [
		{
			displayName: 'API Token',
			name: 'apiToken',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description:
				'The FanPass API token (a JWT) generated for your user in the FanReach Portal. Keep it secret: anyone holding it can change your audience data.',
		},
		{
			displayName: 'API Host',
			name: 'baseUrl',
			type: 'string',
			default: 'https://fanpass-api.fanreachdata.io',
			required: true,
			placeholder: 'https://fanpass-api.fanreachdata.io',
			description:
				'Base URL of the FanPass API. Keep the default for production; point it at a local FanPass sandbox (for example http://127.0.0.1:5680) to try the node without touching real data.',
		},
		{
			displayName: 'Allow Plain HTTP to a Remote Host (Insecure)',
			name: 'allowInsecureHttp',
			type: 'boolean',
			default: false,
			description:
				'Whether to allow an http:// API Host that is not on this machine. Off by default: over plain HTTP the token can be read by anyone on the network path. http://localhost and http://127.0.0.1 (the sandbox) are always allowed.',
		},
	];

	authenticate = authenticate;

	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.baseUrl.trim().replace(/\\/+$/, "")}}',
			url: '/api/v1/update_user',
			method: 'POST',
			body: {},
			json: true,
			ignoreHttpStatusErrors: { ignore: true, except: STATUSES_THAT_FAIL_THE_TEST },
		},
		rules: rules as IAuthenticateRuleResponseCode[],
	};
}
