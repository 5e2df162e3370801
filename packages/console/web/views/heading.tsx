/**
 * A view's `<h1>`, focused when the view appears: after a navigation, keyboard and screen-reader
 * users start at the new content instead of the top of the page.
 */
import type { ComponentChildren } from 'preact';
import { useEffect, useRef } from 'preact/hooks';

export function Heading({ children, focusKey }: { children: ComponentChildren; focusKey: string }) {
  const ref = useRef<HTMLHeadingElement>(null);
  // focusKey: focus again whenever the place changes.
  useEffect(() => {
    ref.current?.focus({ preventScroll: false });
  }, [focusKey]);
  return (
    <h1 ref={ref} tabIndex={-1}>
      {children}
    </h1>
  );
}
