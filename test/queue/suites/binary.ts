/** Binary data crosses processes: a CSV POSTed to a webhook on main is uploaded, byte for byte, by a worker. */
import { createHash } from 'node:crypto';
import { activate, deactivate, executionError, nodeItems } from '../../../scripts/n8n-runtime/n8nExecutions';
import { executionIds, newExecutions, postWebhook, ranOnWorker, type QueueContext } from '../context';

export async function binaryAcrossProcesses(ctx: QueueContext): Promise<void> {
	const id = 'queueBinaryUpload';
	const rows = ['user_id,loyalty_tier', ...Array.from({ length: 300 }, (_, i) => `${700000 + i},${['gold', 'silver', 'bronze'][i % 3]}`)];
	const csv = Buffer.from(`${rows.join('\r\n')}\r\n`, 'utf8');
	const sha256 = createHash('sha256').update(csv).digest('hex');
	await activate(ctx.stack.main, id);
	await ctx.sandbox.reset();
	const before = await executionIds(ctx, id);
	const form = new FormData();
	form.append('data', new Blob([csv], { type: 'text/csv' }), 'webhook-fans.csv');
	const response = await postWebhook(ctx, 'queue-binary-upload', form);
	ctx.checks.check(`multipart POST of ${csv.length} bytes to the webhook on main answered ${response.status}`, response.ok);
	const [execution] = await newExecutions(ctx, id, before);
	await deactivate(ctx.stack.main, id);
	ranOnWorker(ctx, 'Upload Segment File of the webhook CSV', execution);
	const state = await ctx.sandbox.state();
	const imports = Object.values(state.imports) as Array<Record<string, unknown>>;
	ctx.checks.equal('FanReach received the file byte for byte (name, size, sha256)', imports.map((i) => [i.fileName, i.fileSize, i.sha256]), [['webhook-fans.csv', csv.length, sha256]]);
	ctx.checks.equal('segment webhookCsv holds the 300 users of the file', state.segments.webhookCsv?.userIds.length, 300);
	const upload = execution ? nodeItems(execution, 'Upload segment file')[0]?.json : undefined;
	ctx.checks.check('the worker\'s output has the import id', typeof upload?.importId === 'number', upload);
	const error = execution ? executionError(execution) : undefined;
	ctx.observed['binary data'] = `N8N_DEFAULT_BINARY_DATA_MODE=${String(ctx.stack.env.N8N_DEFAULT_BINARY_DATA_MODE)}: webhook on main, upload on ${execution ? (ctx.stack.workers.find((w) => w.startedExecutions().includes(execution.id))?.name ?? '?') : '?'}: ${execution?.status ?? 'no execution'}${error ? `, "${error.message ?? ''}"` : ''}`;
}
