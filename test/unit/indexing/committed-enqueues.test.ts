import { describe, expect, it } from 'vitest';
import type { IndexOutbox, OutboxEntry } from '../../../ports/index-outbox.ts';
import type { TransactionScope, UnitOfWork } from '../../../ports/unit-of-work.ts';
import { signalCommittedEnqueues } from '../../../src/indexing/committed-enqueues.ts';

/** A unit of work whose "commit" is `run` resolving; it records what was enqueued and when the signal came. */
function recordingUnitOfWork(events: string[]): UnitOfWork {
  class Outbox {
    readonly marker = 'the outbox itself';
    async enqueue(entries: readonly OutboxEntry[]) {
      events.push(`enqueue ${entries.map((entry) => entry.listingId).join(',')}`);
    }
    async stats() {
      return { pending: 0, processing: 0, failed: 0, dead: 0, oldestDueAgeMs: null, self: this.marker };
    }
  }
  const outbox = new Outbox() as unknown as IndexOutbox;
  const scope = { outbox, savepoint: async <T>(work: () => Promise<T>) => work() } as unknown as TransactionScope;
  return {
    async run(work) {
      events.push('begin');
      try {
        const result = await work(scope);
        events.push('commit');
        return result;
      } catch (error) {
        events.push('rollback');
        throw error;
      }
    },
  };
}

const entry = (listingId: number): OutboxEntry => ({ listingId, version: 1, operation: 'index' });

describe('signalCommittedEnqueues', () => {
  it('signals once per committed transaction that enqueued, after the commit', async () => {
    const events: string[] = [];
    const uow = signalCommittedEnqueues(recordingUnitOfWork(events), () => events.push('signal'));
    const value = await uow.run(async (tx) => {
      await tx.outbox.enqueue([entry(1)]);
      await tx.savepoint(() => tx.outbox.enqueue([entry(2)]));
      return 'done';
    });
    expect(value).toBe('done');
    expect(events).toEqual(['begin', 'enqueue 1', 'enqueue 2', 'commit', 'signal']);
  });

  it('stays silent for a rollback, a transaction without enqueues, or an empty enqueue', async () => {
    const events: string[] = [];
    const uow = signalCommittedEnqueues(recordingUnitOfWork(events), () => events.push('signal'));
    await expect(
      uow.run(async (tx) => {
        await tx.outbox.enqueue([entry(1)]);
        throw new Error('refused');
      }),
    ).rejects.toThrow('refused');
    await uow.run(async () => 'read only');
    await uow.run((tx) => tx.outbox.enqueue([]));
    expect(events).not.toContain('signal');
  });

  it("leaves the scope's other outbox methods bound to the outbox", async () => {
    const uow = signalCommittedEnqueues(recordingUnitOfWork([]), () => {});
    const stats = await uow.run((tx) => tx.outbox.stats());
    expect(stats).toMatchObject({ self: 'the outbox itself' });
  });
});
