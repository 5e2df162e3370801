/** A failure, said once by screen readers (`role="alert"`), with the server's code and message. */
import { errorText } from '../format.js';

export function ErrorNote({ error }: { error: unknown }) {
  if (error === undefined) return null;
  return (
    <p class="error" role="alert">
      {errorText(error)}
    </p>
  );
}
