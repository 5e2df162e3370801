/**
 * Files the user picked or dropped, each with its path relative to what was picked: `b.txt` for a
 * file, `photos/2024/a.jpg` for a file inside a dropped or chosen folder `photos`. The object key
 * is the current folder + that path.
 */

export interface PickedFile {
  readonly file: File;
  /** `/`-separated, no leading `/`. */
  readonly relativePath: string;
}

/** From an `<input type="file">` (with `webkitdirectory`, each file knows its relative path). */
export function fromFileList(files: FileList | readonly File[]): PickedFile[] {
  return Array.from(files, (file) => ({ file, relativePath: file.webkitRelativePath || file.name }));
}

/**
 * From a drop: folders are walked through the File and Directory Entries API (what Chromium,
 * Firefox and Safari support for dropped folders); plain files when entries are unavailable.
 */
export async function fromDrop(data: DataTransfer): Promise<PickedFile[]> {
  const entries = Array.from(data.items)
    .filter((item) => item.kind === 'file')
    .map((item) => item.webkitGetAsEntry?.())
    .filter((e): e is FileSystemEntry => !!e);
  if (entries.length === 0) return fromFileList(data.files);
  const out: PickedFile[] = [];
  for (const entry of entries) await walk(entry, '', out);
  return out;
}

async function walk(entry: FileSystemEntry, parent: string, out: PickedFile[]): Promise<void> {
  const path = `${parent}${entry.name}`;
  if (entry.isFile) {
    const file = await new Promise<File>((resolve, reject) =>
      (entry as FileSystemFileEntry).file(resolve, reject),
    );
    out.push({ file, relativePath: path });
    return;
  }
  const reader = (entry as FileSystemDirectoryEntry).createReader();
  // readEntries answers in batches (100 in Chromium) until it answers none.
  for (;;) {
    const batch = await new Promise<FileSystemEntry[]>((resolve, reject) =>
      reader.readEntries(resolve, reject),
    );
    if (batch.length === 0) break;
    for (const child of batch) await walk(child, `${path}/`, out);
  }
}
