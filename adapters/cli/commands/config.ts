import type { Command } from 'commander';
import { redactedProvenance } from '../../config/load.ts';
import type { CommandContext } from '../context.ts';

export function registerConfigCommand(program: Command, context: () => CommandContext): void {
  const config = program.command('config').description('inspect the effective configuration');

  config
    .command('print')
    .description(
      'print every setting with its value (secrets redacted) and where it came from: default, .env, environment or flag',
    )
    .action(() => {
      const ctx = context();
      const { provenance } = ctx.config();
      const rows = redactedProvenance(provenance);
      ctx.output.result(rows, () => {
        const width = Math.max(...rows.map((row) => row.variable.length));
        return rows
          .map((row) => `${row.variable.padEnd(width)}  ${row.value === '' ? '""' : row.value}  (${row.source})`)
          .join('\n');
      });
    });

  config
    .command('check')
    .description('validate the configuration and exit 0, or print every problem and exit 2')
    .action(() => {
      const ctx = context();
      const { config: effective } = ctx.config();
      ctx.output.result(
        {
          valid: true,
          database: effective.database.driver,
          cache: effective.cache.driver,
          search: effective.search.engine,
          storage: effective.storage.driver,
        },
        (v) => `configuration is valid: ${JSON.stringify(v)}`,
      );
    });
}
