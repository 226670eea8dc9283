import type { IDisplayOptions, INodeProperties } from 'n8n-workflow';

export const WAIT_DEFAULTS = { pollInterval: 5, maxWait: 600, onFailed: 'error', onTimeout: 'error' } as const;

/** Poll options shared by Wait for Import and Upload Segment File's "Wait for Import to Finish". */
export const waitOptions = (extraShow?: IDisplayOptions['show']): INodeProperties[] => {
	const displayOptions: IDisplayOptions | undefined = extraShow ? { show: extraShow } : undefined;
	return [
		{
			displayName: 'Poll Interval (Seconds)',
			name: 'pollInterval',
			type: 'number',
			typeOptions: { minValue: 0.05 },
			default: WAIT_DEFAULTS.pollInterval,
			description: 'Time before the second status check; later checks wait 1.5 times longer each time, up to 60 seconds',
			displayOptions,
		},
		{
			displayName: 'Max Wait (Seconds)',
			name: 'maxWait',
			type: 'number',
			typeOptions: { minValue: 0 },
			default: WAIT_DEFAULTS.maxWait,
			description: 'How long to wait at most before giving up on this run',
			displayOptions,
		},
		{
			displayName: 'If the Import Fails',
			name: 'onFailed',
			type: 'options',
			options: [
				{ name: 'Stop With an Error', value: 'error', description: 'Fail the node with FanPass\'s reason' },
				{ name: 'Output the Status', value: 'output', description: 'Continue with state "failed" in the output' },
			],
			default: WAIT_DEFAULTS.onFailed,
			description: 'What to do when FanPass reports the import as failed',
			displayOptions,
		},
		{
			displayName: 'If Still Running at Max Wait',
			name: 'onTimeout',
			type: 'options',
			options: [
				{ name: 'Stop With an Error', value: 'error', description: 'Fail the node, saying how far the import got' },
				{
					name: 'Output the Status',
					value: 'output',
					description: 'Continue with the last status (finished: false), e.g. to loop with a Wait node and an IF node',
				},
			],
			default: WAIT_DEFAULTS.onTimeout,
			description: 'What to do when the import has not finished within Max Wait',
			displayOptions,
		},
	];
};
