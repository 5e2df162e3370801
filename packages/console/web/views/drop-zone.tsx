/**
 * Where uploads start: drop files or folders on it, or use its two buttons (a file picker and a
 * folder picker, `webkitdirectory`). The buttons make it usable from the keyboard; the inputs
 * themselves stay hidden.
 */
import { useRef, useState } from 'preact/hooks';
import { fromDrop, fromFileList, type PickedFile } from '../uploads/pick.js';

export function DropZone({ target, onFiles }: { target: string; onFiles: (files: PickedFile[]) => void }) {
  const files = useRef<HTMLInputElement>(null);
  const folder = useRef<HTMLInputElement>(null);
  const [over, setOver] = useState(false);

  const take = (input: HTMLInputElement) => {
    if (input.files && input.files.length > 0) onFiles(fromFileList(input.files));
    input.value = ''; // the same file can be picked again (e.g. to resume it)
  };

  return (
    <section
      class={over ? 'drop-zone over' : 'drop-zone'}
      aria-label="Upload"
      onDragOver={(e) => {
        e.preventDefault();
        if (e.dataTransfer) e.dataTransfer.dropEffect = 'copy';
        setOver(true);
      }}
      onDragLeave={() => setOver(false)}
      onDrop={(e) => {
        e.preventDefault();
        setOver(false);
        if (e.dataTransfer) void fromDrop(e.dataTransfer).then((picked) => picked.length && onFiles(picked));
      }}
    >
      <p>
        Drop files or folders here to upload them to <code>{target}</code>
      </p>
      <div class="actions">
        <button type="button" onClick={() => files.current?.click()}>
          Upload files…
        </button>
        <button type="button" onClick={() => folder.current?.click()}>
          Upload a folder…
        </button>
      </div>
      <input
        ref={files}
        type="file"
        multiple
        hidden
        name="files"
        aria-label="Files to upload"
        onChange={(e) => take(e.currentTarget)}
      />
      <input
        ref={folder}
        type="file"
        hidden
        name="folder"
        aria-label="Folder to upload"
        // Preact passes unknown attributes through; the DOM property is webkitdirectory.
        {...{ webkitdirectory: true }}
        onChange={(e) => take(e.currentTarget)}
      />
    </section>
  );
}
