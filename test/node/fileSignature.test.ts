import { BinaryDataService } from 'n8n-core';
import * as XLSX from 'xlsx';

import { startSandbox, type SandboxHandle } from '../../sandbox/server';
import { GOOD_TOKEN, requestsTo, runFanPass } from './fixtures';

const SEGMENTS = '/api/v1/segments';

const upload = () => ({ resource: 'segment', operation: 'uploadFile', title: 'Fans', tag: 'fans', sourceType: 0, fileSource: 'binary', binaryPropertyName: 'data', simplify: false, options: {} });
const fileItem = (fileName: string, data: Buffer, mimeType: string) => ({ json: {}, binary: [{ property: 'data', fileName, mimeType, data }] });

function workbook(bookType: 'xlsx' | 'biff8'): Buffer {
	const book = XLSX.utils.book_new();
	XLSX.utils.book_append_sheet(book, XLSX.utils.aoa_to_sheet([['user_id'], ['w1'], ['w2']]), 'Fans');
	return XLSX.write(book, { type: 'buffer', bookType }) as Buffer;
}

describe('Upload File: the bytes match the extension before anything is sent', () => {
	let sandbox: SandboxHandle;
	beforeAll(async () => {
		sandbox = await startSandbox({ tokens: [GOOD_TOKEN] });
	});
	afterAll(async () => await sandbox.close());
	beforeEach(() => sandbox.reset());
	afterEach(() => jest.restoreAllMocks());

	describe.each(['default', 'filesystem'] as const)('%s binary mode', (binaryMode) => {
		it.each([
			['fans.xls', workbook('biff8'), 'application/vnd.ms-excel', 2],
			['fans.xlsx', workbook('xlsx'), 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 2],
			['fans.csv', Buffer.from('\ufeffuser_id\r\nJosé\r\nZoë\r\n', 'utf8'), 'text/csv', 2],
		])('sends a real %s byte for byte', async (fileName, data, mimeType, members) => {
			const result = await runFanPass(sandbox, { binaryMode, parameters: upload(), items: [fileItem(fileName, data, mimeType)] });
			expect(result.error).toBeUndefined();
			const [request] = requestsTo(sandbox, SEGMENTS);
			expect(request.multipart?.file?.bytes.equals(data)).toBe(true);
			expect(sandbox.state.segments.get('fans')?.userIds).toHaveLength(members);
		});

		it('sends an empty zip (PK 05 06) as it is, and shows FanPass\'s refusal', async () => {
			const emptyZip = Buffer.from('PK\x05\x06' + '\0'.repeat(18), 'latin1');
			const result = await runFanPass(sandbox, { binaryMode, parameters: upload(), items: [fileItem('fans.zip', emptyZip, 'application/zip')] });
			expect(requestsTo(sandbox, SEGMENTS)[0].multipart?.file?.bytes.equals(emptyZip)).toBe(true);
			expect(result.error?.message ?? '').toContain('ZIP archive must contain exactly one .csv, .xlsx or .xls file');
		});

		it('refuses an .xlsx that is a CSV, and sends nothing', async () => {
			const result = await runFanPass(sandbox, { binaryMode, parameters: upload(), items: [fileItem('fans.xlsx', Buffer.from('user_id\n1\n'), 'text/csv')] });
			expect(result.error?.message).toBe('Item 0: the file "fans.xlsx" is not what its extension says: .xlsx says an Excel workbook, which is a ZIP archive starting with PK 03 04, but the file is text ("user_id 1 ")');
			expect(sandbox.state.requests).toHaveLength(0);
		});

		it('refuses a binary over 10 MB from the size n8n knows, without reading the file', async () => {
			const reads = jest.spyOn(BinaryDataService.prototype, 'getAsBuffer');
			const streams = jest.spyOn(BinaryDataService.prototype, 'getAsStream');
			const big = Buffer.alloc(12 * 1024 * 1024, 0x31);
			const result = await runFanPass(sandbox, { binaryMode, parameters: upload(), items: [fileItem('big.csv', big, 'text/csv')] });
			expect(result.error?.message).toBe(`Item 0: the file "big.csv" is 12.00 MB (${big.length} bytes); FanPass accepts at most 10 MB (10485760 bytes)`);
			expect(reads).not.toHaveBeenCalled();
			expect(streams).not.toHaveBeenCalled();
			expect(sandbox.state.requests).toHaveLength(0);
		});

		it('does the same for a binary stored as n8n 1.x stores it (no exact bytes: stored metadata, or the base64 length)', async () => {
			const reads = jest.spyOn(BinaryDataService.prototype, 'getAsBuffer');
			const big = Buffer.alloc(10 * 1024 * 1024 + 2, 0x31);
			const item = { json: {}, binary: [{ property: 'data', fileName: 'big.csv', mimeType: 'text/csv', data: big, withoutBytes: true }] };
			const result = await runFanPass(sandbox, { binaryMode, parameters: upload(), items: [item] });
			expect(result.error?.message).toBe(`Item 0: the file "big.csv" is 10.00 MB (${big.length} bytes); FanPass accepts at most 10 MB (10485760 bytes)`);
			expect(reads).not.toHaveBeenCalled();
			expect(sandbox.state.requests).toHaveLength(0);
		});
	});
});
