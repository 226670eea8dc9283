import type { IDisplayOptions, INodeProperties } from 'n8n-workflow';

/** Poll options shared by Wait for Import and Upload Segment File's "Wait for Import to Finish". */
export const waitOptions = (extraShow?: IDisplayOptions['show']): INodeProperties[] => {
	const displayOptions: IDisplayOptions | undefined = extraShow ? { show: extraShow } : undefined;
	return [
		{
			displayName: 'Poll Interval (Seconds)',
			name: 'pollInterval',
			type: 'number',
			typeOptions: { minValue: 0.05 },
			default: 5,
			description: 'Time before the second status check; later checks wait 1.5 times longer each time, up to 60 seconds',
			displayOptions,
		},
		{
			displayName: 'Max Wait (Seconds)',
			name: 'maxWait',
			type: 'number',
			typeOptions: { minValue: 0 },
			default: 600,
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
			default: 'error',
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
			default: 'error',
			description: 'What to do when the import has not finished within Max Wait',
			displayOptions,
		},
	];
};

/** The wait options' defaults, read from the description above (the only copy). */
export const WAIT_DEFAULTS = Object.fromEntries(waitOptions().map((option) => [option.name, option.default])) as {
	pollInterval: number;
	maxWait: number;
	onFailed: string;
	onTimeout: string;
};
