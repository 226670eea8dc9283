import type { INodeProperties } from 'n8n-workflow';

const MANUAL_RUNS =
	'Only production runs (an activated Schedule or Webhook workflow) save what was sent. A manual test run uses what was saved but never saves; if it sends anything, the next production run sends everything. On n8n 2.x in queue mode, put this node in a sub-workflow (Execute Workflow node): workers load the saved memory of a sub-workflow, not of a triggered workflow.';

/** The two options Update User and Create or Update Segment share: skip unchanged, and forget. */
export function skipUnchangedOptions(what: 'users' | 'segment'): INodeProperties[] {
	const users = what === 'users';
	return [
		{
			displayName: users ? 'Skip Unchanged Users' : 'Skip Unchanged Segment',
			name: 'skipUnchanged',
			type: 'boolean',
			default: false,
			hint: MANUAL_RUNS,
			description: users
				? 'Whether to leave out users whose final properties equal what FanPass last accepted from this node. Only for data nothing else changes in FanReach.'
				: 'Whether to leave out a segment whose members, title, source type and notes equal what FanPass last accepted from this node. Only for segments nothing else changes in FanReach.',
		},
		{
			displayName: 'Forget What Was Sent Before',
			name: 'forgetSent',
			type: 'boolean',
			default: false,
			hint: 'Turn on for one run after data was changed in the FanReach Portal or restored, then off again (a manual run makes the next production run send everything)',
			description: `Whether to clear what this node remembers, so this run sends every ${users ? 'user' : 'segment'} (and remembers it again)`,
		},
	];
}
