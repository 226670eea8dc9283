/** A private redis-server on 127.0.0.1 and a free port, as the current user, without persistence. */
import type { ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import { freePort, killGroup, sleep, spawnDetached } from '../n8n-runtime/processes';
import { serviceFolder } from './dataFolder';

export interface RedisService {
	host: string;
	port: number;
	child: ChildProcess;
	log: string[];
	/** Stops redis and removes its folder. */
	stop: () => Promise<void>;
}

/** Sends one inline command and returns the first reply line (enough for PING and INFO checks). */
export function redisCommand(port: number, command: string): Promise<string> {
	return new Promise((resolve, reject) => {
		const socket = net.connect(port, '127.0.0.1');
		let reply = '';
		socket.setTimeout(2000, () => socket.destroy(new Error('redis did not answer')));
		socket.on('connect', () => socket.write(`${command}\r\n`));
		socket.on('data', (chunk) => {
			reply += chunk.toString();
			if (reply.includes('\r\n')) {
				socket.end();
				resolve(reply.split('\r\n')[0]);
			}
		});
		socket.on('error', reject);
	});
}

export async function startRedis(): Promise<RedisService> {
	const folder = serviceFolder('redis');
	const port = await freePort();
	const args = ['--bind', '127.0.0.1', '--port', String(port), '--dir', folder, '--save', '', '--appendonly', 'no', '--daemonize', 'no', '--protected-mode', 'yes'];
	const child = spawnDetached('redis-server', args);
	const log: string[] = [];
	const collect = (chunk: Buffer) => log.push(...chunk.toString().split('\n').filter(Boolean));
	child.stdout?.on('data', collect);
	child.stderr?.on('data', collect);
	const stop = async () => {
		await killGroup(child, 5000);
		fs.rmSync(folder, { recursive: true, force: true });
	};
	for (let attempt = 0; attempt < 100; attempt++) {
		if (child.exitCode !== null || child.signalCode !== null) break;
		try {
			if ((await redisCommand(port, 'PING')) === '+PONG') return { host: '127.0.0.1', port, child, log, stop };
		} catch {
			/* not listening yet */
		}
		await sleep(100);
	}
	await stop();
	throw new Error(`redis-server did not answer PING on 127.0.0.1:${port} (is it installed? bash scripts/services/install.sh)\n${log.slice(-20).join('\n')}`);
}
