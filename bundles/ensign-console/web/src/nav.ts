// Client-side routes are paths under /console/ (the server answers every one of them with the page), kept in the
// history without reloading: a click on a link to /console/... is handled here, Back and Forward come as popstate.
import { useEffect, useState } from 'preact/hooks';

const BASE = '/console/';

/** The route's segments: /console/flags/checkout is ['flags', 'checkout']. */
function read(): string[] {
  const path = location.pathname.startsWith(BASE) ? location.pathname.slice(BASE.length) : '';
  return path.split('/').filter(Boolean).map(decodeURIComponent);
}

export function navigate(to: string): void {
  history.pushState(null, '', to);
  dispatchEvent(new PopStateEvent('popstate'));
}

/** The current route, following links, navigate() and the browser's Back and Forward. */
export function useRoute(): string[] {
  const [route, setRoute] = useState(read);
  useEffect(() => {
    const follow = () => setRoute(read());
    const click = (event: MouseEvent) => {
      const link = (event.target as Element | null)?.closest?.('a');
      const href = link?.getAttribute('href');
      if (href?.startsWith(BASE) && event.button === 0 && !event.metaKey && !event.ctrlKey && !event.shiftKey && !event.altKey) {
        event.preventDefault();
        navigate(href);
      }
    };
    addEventListener('popstate', follow);
    document.addEventListener('click', click);
    return () => {
      removeEventListener('popstate', follow);
      document.removeEventListener('click', click);
    };
  }, []);
  return route;
}

/** The link to a route: route('flags', key) is /console/flags/<key>. */
export function route(...segments: string[]): string {
  return BASE + segments.map(encodeURIComponent).join('/');
}
