/**
 * Files the user picked or dropped, each with its path relative to what was picked: `b.txt` for a
 * file, `photos/2024/a.jpg` for a file inside a dropped or chosen folder `photos`. The object key
 * is the current folder + that path. Drops are read by the SDK's `filesFromDataTransfer`, the same
 * walk a page using `uploadDirectory` gets.
 */
import { filesFromDataTransfer, type RelativeFile } from '@coskit/client';

/** A picked file and its `/`-separated path (no leading `/`). */
export type PickedFile = RelativeFile;

/** From an `<input type="file">` (with `webkitdirectory`, each file knows its relative path). */
export function fromFileList(files: FileList | readonly File[]): PickedFile[] {
  return Array.from(files, (file) => ({ file, path: file.webkitRelativePath || file.name }));
}

/** From a drop: folders walked, plain files where the browser offers no entries. */
export const fromDrop: (data: DataTransfer) => Promise<PickedFile[]> = filesFromDataTransfer;
