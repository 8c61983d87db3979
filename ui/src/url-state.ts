/** The view and its filters live in the URL (/ui/<view>?...), so a link reproduces what is shown. */
import { useEffect, useState } from 'preact/hooks';

export interface Location { view: string; params: URLSearchParams }

function current(): Location {
  const path = window.location.pathname.replace(/^\/ui\/?/, '').replace(/\/$/, '');
  return { view: path || 'spend', params: new URLSearchParams(window.location.search) };
}

const listeners = new Set<() => void>();

export function navigate(view: string, params: Record<string, string | undefined> = {}, options: { replace?: boolean } = {}): void {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) if (value !== undefined && value !== '') search.set(name, value);
  const text = search.toString();
  const url = `/ui/${view}${text ? `?${text}` : ''}`;
  if (options.replace) history.replaceState(null, '', url);
  else history.pushState(null, '', url);
  for (const listener of listeners) listener();
}

/** Sets some params of the current view, keeping the others. */
export function setParams(changes: Record<string, string | undefined>, options: { replace?: boolean } = {}): void {
  const { view, params } = current();
  const next: Record<string, string | undefined> = Object.fromEntries(params.entries());
  Object.assign(next, changes);
  navigate(view, next, options);
}

export function useLocation(): Location {
  const [location, setLocation] = useState(current);
  useEffect(() => {
    const update = () => setLocation(current());
    listeners.add(update);
    window.addEventListener('popstate', update);
    return () => {
      listeners.delete(update);
      window.removeEventListener('popstate', update);
    };
  }, []);
  return location;
}
