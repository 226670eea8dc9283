import { readJsonPath, simpleJsonPath } from '../../nodes/FanPass/helpers/simpleJsonPath';
import { items, runFanPass, startTestSandbox, updateParameters, upsertParameters } from './fixtures';

describe('expressions read without the expression engine', () => {
	it.each([
		['={{ $json.user_id }}', ['user_id']],
		['={{$json.customer.id}}', ['customer', 'id']],
		['={{ $json["first name"] }}', ['first name']],
		["={{ $json['a'].b[2] }}", ['a', 'b', '2']],
	])('%s is the path %p', (raw, path) => expect(simpleJsonPath(raw)).toEqual(path));

	it.each([
		'={{ $json.user_id.trim() }}',
		'={{ $json.a + $json.b }}',
		'={{ $json.user_id }} ',
		'={{ $json.user_id }}{{ $json.x }}',
		'={{ $json }}',
		'={{ $("Code").item.json.id }}',
		'={{ $json[id] }}',
		'$json.user_id',
		'={{ $json.user_id ?? "x" }}',
		42,
	])('%p goes to n8n', (raw) => expect(simpleJsonPath(raw)).toBeUndefined());

	it('reads like the expression: missing steps are undefined, values keep their type', () => {
		const json = { a: { b: [1, { c: 'x' }] }, n: 0, s: '' };
		expect(readJsonPath(json, ['a', 'b', '1', 'c'])).toBe('x');
		expect(readJsonPath(json, ['n'])).toBe(0);
		expect(readJsonPath(json, ['s'])).toBe('');
		expect(readJsonPath(json, ['a', 'missing', 'deeper'])).toBeUndefined();
		expect(readJsonPath(json, ['n', 'x'])).toBeUndefined();
		expect(readJsonPath(undefined, ['a'])).toBeUndefined();
	});
});

describe('the direct read gives what n8n\'s expression engine gives', () => {
	let sandbox: Awaited<ReturnType<typeof startTestSandbox>>;
	beforeAll(async () => {
		sandbox = await startTestSandbox();
	});
	afterAll(async () => await sandbox.close());
	beforeEach(() => sandbox.reset());

	const input = items(
		{ user_id: ' a1 ', tag: 'fans' },
		{ user_id: 1002, tag: 'fans' },
		{ user_id: ['x', ['y', 3]], tag: 'fans' },
		{ user_id: null, tag: 'other' },
		{ tag: 'other', nested: { id: 'n1' } },
		{ user_id: 'a1,b2', tag: 'fans' },
	);

	it.each([
		['User ID', { userId: '={{ $json.user_id }}' }, { userId: '={{ ($json.user_id) }}' }],
		['a nested User ID', { userId: '={{ $json.nested.id }}' }, { userId: '={{ ($json.nested.id) }}' }],
		['Segment Tag', { tag: '={{ $json.tag }}' }, { tag: '={{ ($json.tag) }}' }],
	])('for %s in Upsert', async (_, direct, evaluated) => {
		const fast = await runFanPass(sandbox, { parameters: upsertParameters(direct), items: input, continueOnFail: true });
		const fastSegments = JSON.stringify([...sandbox.state.segments.entries()].map(([tag, segment]) => [tag, segment.userIds]));
		sandbox.reset();
		const slow = await runFanPass(sandbox, { parameters: upsertParameters(evaluated), items: input, continueOnFail: true });
		const slowSegments = JSON.stringify([...sandbox.state.segments.entries()].map(([tag, segment]) => [tag, segment.userIds]));
		const strip = (output: typeof fast.output) => JSON.stringify(output.map(({ json: { correlationId: _c, messages: _m, ...json }, pairedItem }) => ({ json, pairedItem })));
		expect(strip(fast.output)).toBe(strip(slow.output));
		expect(fastSegments).toBe(slowSegments);
		expect(fastSegments).not.toBe('[]');
	});

	it('for User ID in Update User', async () => {
		const people = items({ user_id: 'u1', props: { sth: true } }, { user_id: ['u2', 'u3'], props: { sth: false } }, { props: { sth: true } });
		const fast = await runFanPass(sandbox, { parameters: updateParameters(), items: people, continueOnFail: true });
		sandbox.reset();
		const slow = await runFanPass(sandbox, { parameters: updateParameters({ userId: '={{ ($json.user_id) }}' }), items: people, continueOnFail: true });
		const strip = (output: typeof fast.output) => JSON.stringify(output.map(({ json: { correlationId: _c, correlationIds: _cs, messages: _m, ...json }, pairedItem }) => ({ json, pairedItem })));
		expect(strip(fast.output)).toBe(strip(slow.output));
		expect(fast.output.filter((item) => item.json.error)).toHaveLength(1);
	});
});
