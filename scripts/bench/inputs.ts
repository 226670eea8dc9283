/**
 * The benchmark's input data. Each generator is JavaScript source that runs twice: inside the
 * workflow's Code node (so that n8n itself produces the items, the same for both sides), and here,
 * to know what the sandbox must hold afterwards.
 */

export interface ContactsInput {
	kind: 'contacts';
	count: number;
	/** 1: one item per contact (a CRM export); more: pages of IDs, each item holding a `ticketing_ids` array */
	perItem: number;
}
export interface UsersInput {
	kind: 'users';
	count: number;
	/** number of distinct property sets; user i gets set i % sets */
	sets: number;
	/**
	 * A nightly sync: the Code node counts its runs in the workflow's static data; on every second run
	 * (night 2, 4, …) every changedEvery-th user has a new loyalty_tier. Night 1 is the previous night.
	 */
	changedEvery?: number;
}
export type Input = ContactsInput | UsersInput;

export const SEGMENT = { title: 'CRM Export', tag: 'crmExport' };

/** Property names as the sandbox resolves them: favorite_team is a platform property, the others are custom attributes. */
const PLATFORM_PROPERTIES = new Set(['favorite_team']);

/** A CRM export: one item per contact, the ticketing ID is the FanPass user ID. */
const contactsCode = (count: number) => `// ${count} CRM contacts, one item each (a CRM export)
const tiers = ['bronze', 'silver', 'gold', 'platinum'];
const out = new Array(${count});
for (let i = 0; i < ${count}; i++) {
  out[i] = { json: { crm_id: 'crm-' + i, email: 'fan' + i + '@example.com', ticketing_id: String(10000000 + i), tier: tiers[i % 4] } };
}
return out;`;

/** Loyalty data: one item per user with the properties to set; user i gets property set i % sets. */
const usersCode = (count: number, sets: number, changedEvery?: number) => `// ${count} users, ${sets} distinct property sets${
	changedEvery
		? `; a nightly sync: on even nights every ${changedEvery}th user changed
const nights = $getWorkflowStaticData('global');
nights.count = (nights.count ?? 0) + 1;
const changed = nights.count % 2 === 0;`
		: ''
}
const teams = ['Hawks', 'Lions', 'Bears', 'Sharks', 'Wolves', 'Eagles', 'Tigers', 'Bulls', 'Kings', 'Giants'];
const out = new Array(${count});
for (let i = 0; i < ${count}; i++) {
  const set = i % ${sets};
  out[i] = { json: { userId: String(20000000 + i), properties: { loyalty_tier: 'tier-' + set${changedEvery ? ` + (changed && i % ${changedEvery} === 0 ? '-up' : '')` : ''}, favorite_team: teams[set % 10], vip_level: set % 5 } } };
}
return out;`;

/** A big audience as pages of IDs, one item per page (e.g. a paginated warehouse query). */
const idPagesCode = (count: number, perItem: number) => `// ${count} IDs in pages of ${perItem}, one item per page
const out = [];
for (let start = 0; start < ${count}; start += ${perItem}) {
  const ticketing_ids = [];
  for (let i = start; i < Math.min(start + ${perItem}, ${count}); i++) ticketing_ids.push(String(10000000 + i));
  out.push({ json: { page: out.length, ticketing_ids } });
}
return out;`;

export function generatorCode(input: Input): string {
	if (input.kind === 'users') return usersCode(input.count, input.sets, input.changedEvery);
	return input.perItem === 1 ? contactsCode(input.count) : idPagesCode(input.count, input.perItem);
}

/** The FanPass node's User ID expression, and the baseline's way to list an item's IDs, for this input. */
export function idAccess(input: ContactsInput): { expression: string; code: string } {
	return input.perItem === 1
		? { expression: '={{ $json.ticketing_id }}', code: '$input.all().map((item) => String(item.json.ticketing_id))' }
		: { expression: '={{ $json.ticketing_ids }}', code: '$input.all().flatMap((item) => item.json.ticketing_ids.map(String))' };
}

interface GeneratedItem {
	json: Record<string, unknown>;
}

/** Runs the same source the Code node runs (a nightly input as on a night with changes). */
export function generateItems(input: Input): GeneratedItem[] {
	return new Function('$getWorkflowStaticData', generatorCode(input))(() => ({ count: 1 })) as GeneratedItem[];
}

/** The segment's members after the run: every contact's ticketing ID. */
export function expectedSegmentIds(input: ContactsInput): string[] {
	return generateItems(input).flatMap((item) => (input.perItem === 1 ? [String(item.json.ticketing_id)] : (item.json.ticketing_ids as string[])));
}

export interface UserAttributes {
	user_properties: Record<string, unknown>;
	custom: Record<string, unknown>;
}

/** Each user's attributes after the run, split the way FanPass files them. */
export function expectedUsers(input: UsersInput): Map<string, UserAttributes> {
	const users = new Map<string, UserAttributes>();
	for (const item of generateItems(input)) {
		const attributes: UserAttributes = { user_properties: {}, custom: {} };
		for (const [key, value] of Object.entries(item.json.properties as Record<string, unknown>)) {
			(PLATFORM_PROPERTIES.has(key) ? attributes.user_properties : attributes.custom)[key] = value;
		}
		users.set(String(item.json.userId), attributes);
	}
	return users;
}
