/** Readable, compact text for what the sandbox holds and what a node output. */
import { show } from './checks';
import type { NodeItem } from './n8nCli';
import type { SandboxState } from './sandboxProcess';

export function summariseState(state: SandboxState, indent = '    ', maxUsers = 4): string {
	const lines: string[] = [];
	const segments = Object.values(state.segments);
	lines.push(`${indent}segments (${segments.length}):`);
	for (const s of segments) {
		const sample = s.userIds.slice(0, 3).join(', ') + (s.userIds.length > 3 ? ', …' : '');
		lines.push(
			`${indent}  ${s.tag.padEnd(18)} "${s.title}" ${s.userIds.length} users (${sample}) mode=${s.mode} v${s.version}${s.notes ? ` notes="${s.notes}"` : ''}${s.lastImportId ? ` import=${s.lastImportId}` : ''}`,
		);
	}
	const users = Object.entries(state.users);
	lines.push(`${indent}users (${users.length}):`);
	for (const [id, user] of users.slice(0, maxUsers)) {
		lines.push(`${indent}  ${id}: user_properties=${JSON.stringify(user.user_properties)} custom=${JSON.stringify(user.custom)}`);
	}
	if (users.length > maxUsers) lines.push(`${indent}  … and ${users.length - maxUsers} more`);
	const imports = Object.entries(state.imports);
	lines.push(`${indent}imports (${imports.length}):`);
	for (const [id, imp] of imports) {
		const st = imp.import_status;
		lines.push(`${indent}  ${id}: ${st ? `${st.state} ${st.done}/${st.total_users}` : show(imp, 200)}`);
	}
	lines.push(`${indent}requests (${state.requests.length}): ${requestCounts(state)}`);
	return lines.join('\n');
}

/** "POST /api/v1/segments → 200 ×3; …" */
export function requestCounts(state: SandboxState): string {
	const counts = new Map<string, number>();
	for (const r of state.requests) {
		const key = `${r.method} ${r.path} → ${r.status}`;
		counts.set(key, (counts.get(key) ?? 0) + 1);
	}
	return [...counts].map(([key, n]) => (n > 1 ? `${key} ×${n}` : key)).join('; ') || '(none)';
}

export function summariseItems(items: NodeItem[], indent = '      ', max = 4): string {
	const lines = items.slice(0, max).map((item) => `${indent}${show(item.json, 300)}`);
	if (items.length > max) lines.push(`${indent}… and ${items.length - max} more item(s)`);
	return lines.join('\n');
}

/** A plain-text table: columns padded to their widest cell. */
export function table(header: string[], rows: string[][], indent = '  '): string {
	const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
	const line = (cells: string[]) => `${indent}${cells.map((c, i) => (c ?? '').padEnd(widths[i])).join('  ')}`.trimEnd();
	return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}
