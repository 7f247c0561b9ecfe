import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DataDirLock } from '../../../adapters/pglite/data-dir-lock.ts';
import { AppError } from '../../../src/domain/errors.ts';

const bootId = readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
let folder: string;
let dataDir: string;
const children: ChildProcess[] = [];

beforeEach(async () => {
  folder = await mkdtemp(join(tmpdir(), 'listings-lock-'));
  dataDir = join(folder, 'data', 'pglite');
  await mkdir(join(folder, 'data'));
});
afterEach(async () => {
  for (const child of children.splice(0)) child.kill('SIGKILL');
  await rm(folder, { recursive: true, force: true });
});

function startTicksOf(pid: number): string {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] as string;
}

/** A lock file as another process would have left it. */
async function leaveLock(owner: Record<string, unknown>): Promise<void> {
  const record = {
    host: hostname(),
    boot_id: bootId,
    command: 'serve --data-dir ./data',
    since: '2026-11-26T00:00:00.000Z',
    ...owner,
  };
  await writeFile(`${dataDir}.lock`, JSON.stringify(record));
}

async function refusal(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(AppError);
  expect((error as AppError).code).toBe('PRECONDITION_FAILED');
  return error as AppError;
}

describe('DataDirLock', () => {
  it('lets one holder in at a time, in this process too, and the next one in after release', async () => {
    const first = await DataDirLock.acquire(dataDir);
    const recorded = JSON.parse(await readFile(`${dataDir}.lock`, 'utf8'));
    expect(recorded).toMatchObject({ pid: process.pid, host: hostname(), command: process.argv.slice(2).join(' ') });
    const error = await refusal(DataDirLock.acquire(dataDir));
    expect(error.message).toContain(`in use by pid ${process.pid} on ${hostname()}`);
    expect(error.message).toContain(`${dataDir}.lock`);
    await first.release();
    await expect(readFile(`${dataDir}.lock`)).rejects.toMatchObject({ code: 'ENOENT' });
    const second = await DataDirLock.acquire(dataDir);
    await first.release(); // a second release removes nothing of the next holder's
    await expect(refusal(DataDirLock.acquire(dataDir))).resolves.toBeInstanceOf(AppError);
    await second.release();
  });

  it('refuses while another live process holds it', async () => {
    const child = spawn('sleep', ['30']);
    children.push(child);
    await once(child, 'spawn');
    const pid = child.pid as number;
    await leaveLock({ pid, start_ticks: startTicksOf(pid) });
    const error = await refusal(DataDirLock.acquire(dataDir));
    expect(error.message).toContain(`pid ${pid} on ${hostname()} (listings serve --data-dir ./data, since`);
  });

  it('takes over a lock whose owner is gone, or whose pid now belongs to another process', async () => {
    const ended = spawnSync('true');
    await leaveLock({ pid: ended.pid, start_ticks: '1' });
    await (await DataDirLock.acquire(dataDir)).release();

    // The pid is alive, but started at another time than the owner did: a new process was given the same pid.
    const child = spawn('sleep', ['30']);
    children.push(child);
    await once(child, 'spawn');
    await leaveLock({ pid: child.pid, start_ticks: '1' });
    const lock = await DataDirLock.acquire(dataDir);
    expect(JSON.parse(await readFile(`${dataDir}.lock`, 'utf8')).pid).toBe(process.pid);
    await lock.release();
  });

  it("takes over this process's pid left by an earlier run (a container's first process restarted)", async () => {
    await leaveLock({ pid: process.pid, start_ticks: startTicksOf(process.pid) });
    const lock = await DataDirLock.acquire(dataDir);
    await lock.release();
  });

  it('takes over a lock file cut short, and one from an earlier boot whatever its host name', async () => {
    await writeFile(`${dataDir}.lock`, '{"pid": 12');
    await (await DataDirLock.acquire(dataDir)).release();
    // A live pid, but recorded under another boot of the kernel: not the same process.
    const child = spawn('sleep', ['30']);
    children.push(child);
    await once(child, 'spawn');
    const pid = child.pid as number;
    await leaveLock({ pid, start_ticks: startTicksOf(pid), host: 'old-container', boot_id: 'another-boot' });
    await (await DataDirLock.acquire(dataDir)).release();
    // The same boot under another host name (a recreated container on this machine): judged by the process.
    await leaveLock({ pid, start_ticks: startTicksOf(pid), host: 'old-container', boot_id: bootId });
    const error = await refusal(DataDirLock.acquire(dataDir));
    expect(error.message).toContain(`pid ${pid} on old-container`);
  });
});
