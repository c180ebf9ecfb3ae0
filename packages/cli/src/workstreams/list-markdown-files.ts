import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';

/**
 * Every `*.md` file under `root` (any case of the extension), as absolute paths in a stable order:
 * sorted by their `/`-separated path relative to `root`, whatever the platform or file system
 * returns. Hidden directories (`.sdp`, `.git`) and `node_modules` are not entered, nor are
 * symbolic links to directories (they could loop); symbolic links to files are read.
 */
export async function listMarkdownFiles(root: string, signal?: AbortSignal): Promise<string[]> {
  const found: { relative: string; file: string }[] = [];
  const visit = async (directory: string, relative: string): Promise<void> => {
    signal?.throwIfAborted();
    for (const entry of await readdir(directory, { withFileTypes: true })) {
      const file = path.join(directory, entry.name);
      const entryRelative = relative === '' ? entry.name : `${relative}/${entry.name}`;
      const isDirectory = entry.isDirectory();
      if (isDirectory && (entry.name.startsWith('.') || entry.name === 'node_modules')) continue;
      if (isDirectory) await visit(file, entryRelative);
      else if (/\.md$/i.test(entry.name) && (entry.isFile() || (entry.isSymbolicLink() && (await isFile(file))))) {
        found.push({ relative: entryRelative, file });
      }
    }
  };
  await visit(root, '');
  found.sort((a, b) => (a.relative < b.relative ? -1 : a.relative > b.relative ? 1 : 0));
  return found.map((entry) => entry.file);
}

async function isFile(file: string): Promise<boolean> {
  return (await stat(file)).isFile();
}
