import type { IndexOutbox } from '../../ports/index-outbox.ts';
import type { TransactionScope, UnitOfWork } from '../../ports/unit-of-work.ts';
import { scopeWith } from '../shared/scope-with.ts';

/**
 * A unit of work that calls `onCommitted` once a transaction that enqueued search work has committed, so an
 * indexing worker in the same process can claim it at once instead of at its next idle poll (the poll still finds
 * work committed by other processes). Nothing is called for a transaction that rolled back or enqueued nothing, and
 * never before the commit: a worker woken earlier would claim before the entry is visible.
 */
export function signalCommittedEnqueues(unitOfWork: UnitOfWork, onCommitted: () => void): UnitOfWork {
  return {
    async run(work, options) {
      let enqueued = false;
      const result = await unitOfWork.run(
        (tx) =>
          work(
            recordingEnqueues(tx, () => {
              enqueued = true;
            }),
          ),
        options,
      );
      if (enqueued) onCommitted();
      return result;
    },
  };
}

/** `tx` as it is, but for an outbox whose `enqueue` first calls `noted`. */
function recordingEnqueues(tx: TransactionScope, noted: () => void): TransactionScope {
  const outbox = tx.outbox;
  const recording = new Proxy(outbox, {
    get(target, property) {
      if (property === 'enqueue') {
        return (entries: Parameters<IndexOutbox['enqueue']>[0]) => {
          if (entries.length > 0) noted();
          return target.enqueue(entries);
        };
      }
      const value = Reflect.get(target, property, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  return scopeWith(tx, { outbox: recording });
}
