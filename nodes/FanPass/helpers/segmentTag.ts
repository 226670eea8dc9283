const TAG_PATTERN = /^[A-Za-z0-9]+$/;

/** Returns why a tag is not one FanPass accepts, or undefined when it is fine. */
export function tagProblem(tag: string): string | undefined {
	if (tag === '') return 'the segment tag is empty';
	if (TAG_PATTERN.test(tag)) return undefined;
	const suggestion = tag.replace(/[^A-Za-z0-9]+(.)?/g, (_, next?: string) => (next ?? '').toUpperCase());
	const what = /\s/.test(tag) ? 'contains a space' : 'contains characters other than letters and digits';
	const hint = suggestion ? ` (for example "${suggestion}")` : '';
	return `the segment tag "${tag}" ${what}; a FanPass tag is its primary key and must be letters and digits only${hint}`;
}
