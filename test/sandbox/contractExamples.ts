/**
 * The FanPass contract's request/response examples, restated for this repository: for each of the
 * four endpoints, a success, a missing-field 400 and a 401. Each request is what a client sends;
 * each answer is what FanPass returns (its exact status, messages, errors and endpoint fields;
 * the random correlationId is left out). `contract.test.ts` replays them against the sandbox.
 */

const UNAUTHORIZED =
	'The API access token is missing or invalid. Please verify that you are using the correct FanPass API token, which is available in the Fanreach Portal.';

export interface ContractExample {
	name: string;
	path: '/api/v1/segments' | '/api/v1/segment_import_status' | '/api/v1/update_user';
	/** A JSON body, or multipart form fields (`withFile` adds a 3-ID CSV as `file`). */
	json?: unknown;
	form?: Record<string, string>;
	withFile?: boolean;
	/** 'good' sends the sandbox token, 'none' no Authorization header. */
	auth: 'good' | 'none';
	/** Sandbox state the answer depends on, described in words; set up by the test. */
	given?: 'next import id is 1042' | 'import 12345 of 20 users is 60% processed' | 'example_property_1/2 are registered attributes';
	status: number;
	answer: Record<string, unknown>;
}

const segment = { title: 'User Group 1', tag: 'userGroup1', sourceType: 0, userIds: ['12345', '54321', '56435'], notes: 'Refresh of User Group 1' };
const segmentForm = { title: 'User Group 1', tag: 'userGroup1', sourceType: '0', notes: 'CSV import of User Group 1', dry_run: 'false', correlation_id: '' };
const userUpdate = { userIds: ['12345'], userProperties: { example_property_1: 'example_value_1', example_property_2: 'example_value_2' } };
const refused = (errors: string[], status = 400) => ({ status, messages: [], errors });

export const CONTRACT_EXAMPLES: ContractExample[] = [
	{
		name: 'segment upsert (JSON): members queued',
		path: '/api/v1/segments',
		json: segment,
		auth: 'good',
		status: 200,
		answer: { status: 200, messages: ['Segment User Group 1 queued 3 for import'], errors: [] },
	},
	{
		name: 'segment upsert (JSON): title, tag and userIds missing',
		path: '/api/v1/segments',
		json: { notes: 'Trying to create a segment with missing fields.' },
		auth: 'good',
		status: 400,
		answer: refused(['Missing required fields: title, tag, userIds']),
	},
	{ name: 'segment upsert (JSON): no token', path: '/api/v1/segments', json: segment, auth: 'none', status: 401, answer: refused([UNAUTHORIZED], 401) },
	{
		name: 'segment file upload: file queued',
		path: '/api/v1/segments',
		form: segmentForm,
		withFile: true,
		auth: 'good',
		given: 'next import id is 1042',
		status: 200,
		answer: { status: 200, messages: ['Segment User Group 1 file queued for import'], errors: [], firebase_imported_segment_id: 1042, lookup_key: 'userGroup1' },
	},
	{
		name: 'segment file upload: title, tag and file missing',
		path: '/api/v1/segments',
		form: { sourceType: '0', notes: 'CSV import of User Group 1', dry_run: 'false', correlation_id: '' },
		auth: 'good',
		status: 400,
		answer: refused(['Missing required fields: title, tag, file']),
	},
	{ name: 'segment file upload: no token', path: '/api/v1/segments', form: segmentForm, withFile: true, auth: 'none', status: 401, answer: refused([UNAUTHORIZED], 401) },
	{
		name: 'import status: processing at 60%',
		path: '/api/v1/segment_import_status',
		json: { firebase_imported_segment_id: 12345 },
		auth: 'good',
		given: 'import 12345 of 20 users is 60% processed',
		status: 200,
		answer: {
			status: 200,
			messages: [],
			errors: [],
			import_status: { state: 'processing', total_users: 20, done: 12, remaining: 8, percent: 60, firestore_status: null },
		},
	},
	{
		name: 'import status: import id missing',
		path: '/api/v1/segment_import_status',
		json: {},
		auth: 'good',
		status: 400,
		answer: refused(['Missing required field: firebase_imported_segment_id']),
	},
	{
		name: 'import status: no token',
		path: '/api/v1/segment_import_status',
		json: { firebase_imported_segment_id: 12345 },
		auth: 'none',
		status: 401,
		answer: refused([UNAUTHORIZED], 401),
	},
	{
		name: 'update user: properties set',
		path: '/api/v1/update_user',
		json: userUpdate,
		auth: 'good',
		given: 'example_property_1/2 are registered attributes',
		status: 200,
		answer: { status: 200, messages: ['Successfully updated user properties for 1 users'], errors: [] },
	},
	{
		name: 'update user: userIds and properties missing',
		path: '/api/v1/update_user',
		json: { userProperties: {} },
		auth: 'good',
		status: 400,
		answer: refused(['Missing required fields: userIds, userProperties']),
	},
	{ name: 'update user: no token', path: '/api/v1/update_user', json: userUpdate, auth: 'none', status: 401, answer: refused([UNAUTHORIZED], 401) },
];
