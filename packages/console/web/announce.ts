/**
 * Messages for screen readers and everyone else: one polite live region (`#status`, rendered by
 * the app shell) that says what just happened ("Deleted a.txt", "3 files uploaded").
 */
export function announce(message: string): void {
  const region = document.getElementById('status');
  if (!region) return;
  // Clearing first makes a repeated message be read again.
  region.textContent = '';
  setTimeout(() => {
    region.textContent = message;
  }, 30);
}
