/**
 * The uploads: the total (files, bytes, speed, one progress bar) with Pause all / Resume all /
 * Cancel all, then one row per file with its own bar, speed and buttons; and the uploads a
 * previous page left unfinished, which resume when the same files are picked again.
 */
import { useRef } from 'preact/hooks';
import { formatBytes, formatSpeed } from '../format.js';
import type { PendingUpload } from '../uploads/pending.js';
import { fromFileList } from '../uploads/pick.js';
import type { UploadItem, UploadQueue, UploadState, UploadTotals } from '../uploads/upload-queue.js';
import { ErrorNote } from './error-note.js';

const STATE_LABEL: Record<UploadState, string> = {
  queued: 'Waiting',
  uploading: 'Uploading',
  paused: 'Paused',
  done: 'Done',
  failed: 'Failed',
  cancelled: 'Cancelled',
};

const percent = (sent: number, size: number) => (size === 0 ? 100 : Math.floor((100 * sent) / size));

function Row({ item, queue }: { item: UploadItem; queue: UploadQueue }) {
  const label = `${item.key}: ${percent(item.sent, item.size)}%`;
  return (
    <li class={`upload ${item.state}`} data-key={item.key} data-state={item.state}>
      <div class="upload-name">
        <code>{item.key}</code>
        <span class="state">{STATE_LABEL[item.state]}</span>
      </div>
      <progress max={item.size || 1} value={item.size === 0 ? 1 : item.sent} aria-label={label} />
      <div class="upload-figures">
        <span>
          {formatBytes(item.sent)} of {formatBytes(item.size)}
        </span>
        {item.state === 'uploading' && <span>{formatSpeed(item.speed)}</span>}
      </div>
      <ErrorNote error={item.error} />
      <div class="actions">
        {(item.state === 'uploading' || item.state === 'queued') && (
          <button type="button" onClick={() => queue.pause(item.id)} aria-label={`Pause ${item.key}`}>
            Pause
          </button>
        )}
        {item.state === 'paused' && (
          <button type="button" onClick={() => queue.resume(item.id)} aria-label={`Resume ${item.key}`}>
            Resume
          </button>
        )}
        {item.state === 'failed' && (
          <button type="button" onClick={() => queue.retry(item.id)} aria-label={`Retry ${item.key}`}>
            Retry
          </button>
        )}
        {(item.state === 'uploading' || item.state === 'queued' || item.state === 'paused') && (
          <button type="button" onClick={() => queue.cancel(item.id)} aria-label={`Cancel ${item.key}`}>
            Cancel
          </button>
        )}
      </div>
    </li>
  );
}

function Totals({ totals, queue }: { totals: UploadTotals; queue: UploadQueue }) {
  return (
    <div class="upload-totals">
      <progress
        max={totals.size || 1}
        value={totals.size === 0 ? 1 : totals.sent}
        aria-label={`All uploads: ${percent(totals.sent, totals.size)}%`}
      />
      <p>
        {totals.done} of {totals.files} files · {formatBytes(totals.sent)} of {formatBytes(totals.size)}
        {totals.active && ` · ${formatSpeed(totals.speed)}`}
        {totals.failed > 0 && ` · ${totals.failed} failed`}
      </p>
      <div class="actions">
        <button type="button" onClick={() => queue.pauseAll()} disabled={!totals.active}>
          Pause all
        </button>
        <button type="button" onClick={() => queue.resumeAll()} disabled={!totals.active}>
          Resume all
        </button>
        <button type="button" onClick={() => queue.cancelAll()} disabled={!totals.active}>
          Cancel all
        </button>
        <button type="button" onClick={() => queue.clearFinished()}>
          Clear finished
        </button>
      </div>
    </div>
  );
}

/** Unfinished uploads of an earlier page: pick the same files to resume them. */
function Interrupted({
  pending,
  onResume,
  onForget,
}: {
  pending: readonly PendingUpload[];
  onResume: (files: File[]) => void;
  onForget: () => void;
}) {
  const input = useRef<HTMLInputElement>(null);
  return (
    <div class="interrupted">
      <p>
        {pending.length === 1 ? '1 upload was' : `${pending.length} uploads were`} interrupted when the page
        closed: pick the same files again to continue where they stopped.
      </p>
      <ul>
        {pending.map((p) => (
          <li key={`${p.bucket}/${p.key}`}>
            <code>
              {p.bucket}/{p.key}
            </code>{' '}
            ({formatBytes(p.size)})
          </li>
        ))}
      </ul>
      <div class="actions">
        <button type="button" class="primary" onClick={() => input.current?.click()}>
          Pick the files to resume…
        </button>
        <button type="button" onClick={onForget}>
          Forget them
        </button>
      </div>
      <input
        ref={input}
        type="file"
        multiple
        hidden
        name="resume"
        aria-label="Files to resume"
        onChange={(e) => {
          const files = e.currentTarget.files;
          if (files) onResume(fromFileList(files).map((f) => f.file));
          e.currentTarget.value = '';
        }}
      />
    </div>
  );
}

export function UploadsPanel({
  queue,
  pending,
  onResumePending,
  onForgetPending,
}: {
  queue: UploadQueue;
  pending: readonly PendingUpload[];
  onResumePending: (files: File[]) => void;
  onForgetPending: () => void;
}) {
  const items = queue.items;
  if (items.length === 0 && pending.length === 0) return null;
  return (
    <section class="uploads" aria-labelledby="uploads-title">
      <h2 id="uploads-title">Uploads</h2>
      {pending.length > 0 && (
        <Interrupted pending={pending} onResume={onResumePending} onForget={onForgetPending} />
      )}
      {items.length > 0 && (
        <>
          <Totals totals={queue.totals} queue={queue} />
          <ul class="upload-list">
            {items.map((item) => (
              <Row key={item.id} item={item} queue={queue} />
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
