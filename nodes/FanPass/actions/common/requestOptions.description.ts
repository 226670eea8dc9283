import type { INodeProperties } from 'n8n-workflow';

import { DEFAULT_RETRY_POLICY } from '../../transport/retryPolicy';

/** Retries and timeout, shared by every action: each FanPass request goes through them. */
export const requestOptionsDescription: INodeProperties[] = [
	{
		displayName: 'Request Options',
		name: 'requestOptions',
		type: 'collection',
		placeholder: 'Add Request Option',
		default: {},
		description:
			'How FanPass requests are retried and timed out. By default a rate limit (429), a gateway error (502, 503, 504) or a dropped connection is retried up to 5 times with growing, jittered waits, honouring FanPass\'s Retry-After.',
		options: [
			{
				displayName: 'Max Retries',
				name: 'maxRetries',
				type: 'number',
				typeOptions: { minValue: 0, maxValue: 20 },
				default: DEFAULT_RETRY_POLICY.maxRetries,
				description:
					'How many times a request is retried after a rate limit (429), a gateway error (502, 503, 504), a dropped connection or a timeout. 0 turns retrying off. 400, 401, 403 and 413 are never retried.',
			},
			{
				displayName: 'Max Retry Wait (Seconds)',
				name: 'maxRetryWait',
				type: 'number',
				typeOptions: { minValue: 0 },
				default: DEFAULT_RETRY_POLICY.maxTotalWaitMs / 1000,
				description:
					'The most time one request may spend waiting between its retries, Retry-After included. When FanPass asks for a longer wait, the item fails with a message that says so.',
			},
			{
				displayName: 'First Retry Delay (Seconds)',
				name: 'retryDelay',
				type: 'number',
				typeOptions: { minValue: 0, numberPrecision: 2 },
				default: DEFAULT_RETRY_POLICY.baseDelayMs / 1000,
				description:
					'The wait before the first retry when FanPass gives no Retry-After; it doubles on every retry (up to 60 s), with random jitter so parallel requests do not retry in lockstep',
			},
			{
				displayName: 'Timeout (Seconds)',
				name: 'timeout',
				type: 'number',
				typeOptions: { minValue: 0 },
				default: DEFAULT_RETRY_POLICY.timeoutMs / 1000,
				description:
					'How long to wait for FanPass to answer one attempt before giving up on it (and retrying). 0 uses n8n\'s default (300 s).',
			},
		],
	},
];
