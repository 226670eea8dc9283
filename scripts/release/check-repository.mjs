// Checks that package.json's repository.url, homepage and bugs.url all name one GitHub repository,
// and (given "owner/name", e.g. $GITHUB_REPOSITORY) that it is that one: npm's provenance check
// rejects a package whose repository.url is not the repository the workflow ran in.
//
//   node scripts/release/check-repository.mjs [owner/name]
import { readFileSync } from 'node:fs';

const manifest = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
const problems = [];
const repoOf = (field, url, pattern) => {
	const match = typeof url === 'string' ? pattern.exec(url) : null;
	if (!match) problems.push(`${field} is not a github.com URL of the expected form: ${JSON.stringify(url)}`);
	return match?.[1];
};
const repository = repoOf('repository.url', manifest.repository?.url, /^git\+https:\/\/github\.com\/([\w.-]+\/[\w.-]+?)\.git$/);
const homepage = repoOf('homepage', manifest.homepage, /^https:\/\/github\.com\/([\w.-]+\/[\w.-]+?)(?:#readme)?$/);
const bugs = repoOf('bugs.url', manifest.bugs?.url, /^https:\/\/github\.com\/([\w.-]+\/[\w.-]+?)\/issues$/);
const expected = process.argv[2];
for (const [field, value] of [['homepage', homepage], ['bugs.url', bugs], ...(expected ? [['the workflow repository', expected]] : [])]) {
	if (repository && value && value.toLowerCase() !== repository.toLowerCase()) {
		problems.push(`repository.url names ${repository} but ${field} is ${value}`);
	}
}
if (problems.length) {
	for (const problem of problems) console.log(`::error::package.json: ${problem}`);
	process.exit(1);
}
console.log(`package.json's repository, homepage and bugs: github.com/${repository}`);
