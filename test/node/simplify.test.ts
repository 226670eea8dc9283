/**
 * Simplify (node version 2): Create or Update and Upload File return the fields a flow acts on;
 * version 1 nodes, as saved before, keep the full output; Simplify off gives the full output.
 */
import type { SandboxHandle } from '../../sandbox/server';
import { items, runFanPass, startTestSandbox, upsertParameters } from './fixtures';

const SHORT_UPSERT = ['correlationId', 'mode', 'tag', 'userCount'];

describe('Simplify', () => {
	let sandbox: SandboxHandle;
	beforeAll(async () => {
		sandbox = await startTestSandbox();
	});
	afterAll(async () => await sandbox.close());
	beforeEach(() => sandbox.reset());

	const run = (simplify: boolean | undefined, typeVersion?: number) => {
		const parameters = upsertParameters();
		if (simplify === undefined) delete parameters.simplify;
		else parameters.simplify = simplify;
		return runFanPass(sandbox, { parameters, items: items({ user_id: 'a' }, { user_id: 'b' }, { user_id: 'a' }), typeVersion });
	};

	it('is on by default in version 2: under ten fields, and the segment is still sent whole', async () => {
		const result = await run(undefined);
		expect(result.error).toBeUndefined();
		expect(Object.keys(result.output[0].json).sort()).toEqual(SHORT_UPSERT);
		expect(result.output[0].json).toMatchObject({ tag: 'fans', userCount: 2, mode: 'json' });
		expect(sandbox.state.segments.get('fans')?.userIds).toEqual(['a', 'b']);
	});

	it('off in version 2 gives the full output', async () => {
		const result = await run(false);
		expect(result.output[0].json).toMatchObject({ userCount: 2, idsReceived: 3, duplicatesRemoved: 1, itemCount: 3 });
	});

	it('does not exist in version 1: a saved version 1 node keeps its full output', async () => {
		const result = await run(undefined, 1);
		expect(result.output[0].json).toMatchObject({ userCount: 2, idsReceived: 3, duplicatesRemoved: 1, itemCount: 3 });
	});

	it('keeps warnings in the short form, so nothing is dropped silently', async () => {
		const parameters = upsertParameters();
		delete parameters.simplify;
		const result = await runFanPass(sandbox, { parameters, items: items({ user_id: 'a' }, { other: 1 }) });
		expect(result.output[0].json.warnings).toEqual([
			'item 1 gave no user ID (an empty value, or an expression that found nothing), so added nobody to segment "fans"',
		]);
	});
});
