import type { Verification } from './verify-rebuild.ts';

/** Why a rebuilt index must not serve (ops-scripts.md §1.7 step 6); empty when it may. */
export function problemsOf(verification: Verification, failed: number, deadLetters: number, force: boolean): string[] {
  const problems: string[] = [];
  if (failed > 0) problems.push(`${failed} listing(s) could not be written to the new index`);
  if (!verification.feedCaughtUp) {
    problems.push('a long transaction on the database server held the change feed back: writes could not be replayed');
  } else if (!verification.countsMatch) {
    problems.push(
      `the new index holds ${verification.indexed} documents, PostgreSQL has ${verification.expected} searchable listings`,
    );
  }
  if (verification.sampleDifferences.length > 0) {
    problems.push(
      `${verification.sampleDifferences.length} of ${verification.sampleChecked} sampled documents differ from their rows`,
    );
  }
  if (deadLetters > 0 && !force) {
    problems.push(
      `${deadLetters} dead letter(s) in the outbox: fix and requeue them (listings queue retry-dead) or pass --force`,
    );
  }
  return problems;
}
