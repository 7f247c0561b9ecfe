import type { DumpArchive } from '../../ports/database-dump.ts';
import type { BackupFolder } from './backup-folder.ts';
import type { BackupManifest } from './manifest.ts';

/** The dump of a stored backup as the {@link DumpArchive} the dump adapters read, file by file from the store. */
export function archiveOf(folder: BackupFolder, id: string, manifest: BackupManifest): DumpArchive {
  return {
    format: manifest.format,
    tool: manifest.tool,
    files: manifest.files.map(({ name, size }) => ({ name, size })),
    async open(name) {
      return (await folder.store.get(folder.dataKey(id, name))).body;
    },
  };
}
