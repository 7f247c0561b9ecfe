import { readFileSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { dirname } from 'node:path';
import { AppError } from '../../src/domain/errors.ts';

/**
 * One process at a time on an embedded data directory. PGlite takes no lock of its own (PostgreSQL's
 * postmaster.pid is not written by the WebAssembly build), so a second `listings serve`, or an admin command run
 * beside the service, would open the same files and both would write pages the other does not know about.
 *
 * The lock is a file beside the directory (`<dir>.lock`, not inside it, so a backup tarball of the directory never
 * carries one) created with O_EXCL, holding the owner's pid, process start time, the kernel's boot id, host name
 * and command. A lock whose owner is gone (killed, machine rebooted, container restarted or recreated) is taken
 * over: the start time tells a live owner from a new process that was given the same pid, as happens to a
 * container's first process after a restart. Judged on this machine only: processes in two containers sharing one
 * volume at once cannot see each other's pids, and machines sharing a network folder are not supported (the
 * embedded database is for one process; run PostgreSQL for more).
 */
export class DataDirLock {
  /** Directories locked by this process: the same pid in the file means ours only when it is listed here. */
  static readonly #held = new Set<string>();
  readonly #path: string;
  readonly #dataDir: string;
  #holding = false;

  private constructor(dataDir: string) {
    this.#dataDir = dataDir;
    this.#path = `${dataDir}.lock`;
  }

  /** Takes the lock on `dataDir`, or fails with PRECONDITION_FAILED naming the process that holds it. */
  static async acquire(dataDir: string): Promise<DataDirLock> {
    const lock = new DataDirLock(dataDir);
    await lock.#take();
    return lock;
  }

  /** Removes the lock file; only once, and only by the holder that took it (not one released before). */
  async release(): Promise<void> {
    if (!this.#holding) return;
    this.#holding = false;
    DataDirLock.#held.delete(this.#dataDir);
    await rm(this.#path, { force: true });
  }

  async #take(): Promise<void> {
    await mkdir(dirname(this.#path), { recursive: true });
    const owner: LockOwner = {
      pid: process.pid,
      host: hostname(),
      start_ticks: startTicks(process.pid),
      boot_id: bootId(),
      // The arguments after the script (`serve --data-dir ./data`), so whoever is refused can tell which one it is.
      command: process.argv.slice(2).join(' ').slice(0, 200),
      since: new Date().toISOString(),
    };
    // Two attempts: the second follows the removal of a lock whose owner is gone.
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        await writeFile(this.#path, `${JSON.stringify(owner)}\n`, { flag: 'wx' });
        DataDirLock.#held.add(this.#dataDir);
        this.#holding = true;
        return;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
      const holder = await this.#holder();
      if (holder !== undefined && this.#isAlive(holder)) throw this.#refusal(holder);
      await rm(this.#path, { force: true });
    }
    throw new AppError('PRECONDITION_FAILED', `could not lock the embedded database in ${this.#dataDir}: retry`);
  }

  async #holder(): Promise<LockOwner | undefined> {
    try {
      return JSON.parse(await readFile(this.#path, 'utf8')) as LockOwner;
    } catch {
      return undefined; // gone meanwhile, or half-written by an owner that died while writing it
    }
  }

  #isAlive(holder: LockOwner): boolean {
    if (holder.pid === process.pid) return DataDirLock.#held.has(this.#dataDir);
    // Another boot of the kernel that ran the owner: it is gone. (The host name cannot decide this: a container
    // gets a new one each time it is recreated, so a recreated container would otherwise never start again.)
    const boot = bootId();
    if (boot !== undefined && holder.boot_id !== undefined && holder.boot_id !== boot) return false;
    const ticks = startTicks(holder.pid);
    if (ticks !== undefined && holder.start_ticks !== undefined) return ticks === holder.start_ticks;
    try {
      process.kill(holder.pid, 0);
      return true;
    } catch (error) {
      return (error as NodeJS.ErrnoException).code === 'EPERM';
    }
  }

  #refusal(holder: LockOwner): AppError {
    return new AppError(
      'PRECONDITION_FAILED',
      `the embedded database in ${this.#dataDir} is in use by pid ${holder.pid} on ${holder.host} ` +
        `(listings ${holder.command}, since ${holder.since}); stop it first, or remove ${this.#path} if that ` +
        'process is certainly gone',
    );
  }
}

interface LockOwner {
  readonly pid: number;
  readonly host: string;
  /** Field 22 of /proc/<pid>/stat: when the process started, in clock ticks since boot (Linux only). */
  readonly start_ticks?: string;
  /** The kernel's boot id (Linux only): shared by every container of one machine, new at each boot. */
  readonly boot_id?: string;
  readonly command: string;
  readonly since: string;
}

function bootId(): string | undefined {
  try {
    return readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
  } catch {
    return undefined;
  }
}

function startTicks(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces and parentheses: count fields after its closing parenthesis.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}
