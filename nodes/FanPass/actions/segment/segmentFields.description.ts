import type { INodeProperties } from 'n8n-workflow';

export const SOURCE_TYPE_OPTIONS = [
	{ name: 'Ticketing ID', value: 0, description: 'User IDs are ticketing account IDs' },
	{ name: 'Push Notification ID (Coming Soon)', value: 1, description: 'Announced by FanReach, not yet available' },
	{ name: 'Loyalty ID (Coming Soon)', value: 2, description: 'Announced by FanReach, not yet available' },
	{ name: 'Ad ID (Coming Soon)', value: 3, description: 'Announced by FanReach, not yet available' },
	{ name: 'Subscriber ID (Coming Soon)', value: 4, description: 'Announced by FanReach, not yet available' },
];

/** Title, tag and source type: what names a segment, for every action that writes one. */
export const segmentIdentityFields: INodeProperties[] = [
	{
		displayName: 'Segment Title',
		name: 'title',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. Season Ticket Holders 2026',
		description: 'Friendly name of the segment, shown in the FanReach Portal',
	},
	{
		displayName: 'Segment Tag',
		name: 'tag',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. seasonTicketHolders2026',
		hint: 'Letters and digits only. Reusing a tag replaces that segment\'s members.',
		description:
			'Unique key of the segment: letters and digits only, no spaces. An existing tag has its members replaced; a new one is created. Items may give different tags (one request per tag).',
	},
	{
		displayName: 'Source Type',
		name: 'sourceType',
		type: 'options',
		options: SOURCE_TYPE_OPTIONS,
		default: 0,
		description: 'What kind of IDs the user IDs are',
	},
];

export const sourceTypeName = (value: number) =>
	SOURCE_TYPE_OPTIONS.find((option) => option.value === value)?.name ?? String(value);
