import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { freeUdpPort } from '../../src/asterisk/free-port.ts';

export const sippScenario = (name: string) => fileURLToPath(new URL(`../fixtures/sipp/${name}`, import.meta.url));

/** Runs one sipp call (UAC) against 127.0.0.1:sipPort; resolves with its exit code and output. */
export async function runSipp(scenario: string, sipPort: number, service = '4000', calls = 1): Promise<{ code: number | null; output: string }> {
  const localPort = await freeUdpPort();
  const mediaPort = 40000 + 2 * Math.floor(Math.random() * 10000);
  const args = ['-sf', scenario, '-s', service, '-i', '127.0.0.1', '-p', String(localPort), '-mi', '127.0.0.1', '-mp', String(mediaPort),
    '-m', String(calls), '-l', String(calls), '-r', String(calls), '-timeout', '60s', '-timeout_error', '-nostdin', '-bg', '-trace_err', `127.0.0.1:${sipPort}`];
  // -bg daemonizes; run in the foreground instead so we can wait: drop it.
  const child = spawn('sipp', args.filter((a) => a !== '-bg'), { stdio: ['ignore', 'pipe', 'pipe'], cwd: '/tmp' });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  return { code, output };
}

/** A sipp UAS that answers every REGISTER with 200 OK, on 127.0.0.1:port, until stopped. */
export async function startRegistrar(port: number): Promise<{ stop(): void }> {
  const child = spawn('sipp', ['-sf', sippScenario('registrar.xml'), '-i', '127.0.0.1', '-p', String(port), '-nostdin', '-timeout', '600s'], { stdio: ['ignore', 'ignore', 'ignore'], cwd: '/tmp' });
  return { stop: () => child.kill('SIGKILL') };
}
