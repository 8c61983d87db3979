import { useEffect, useState } from 'preact/hooks';
import { ApiError } from './api';

export interface Loaded<T> { data?: T; error?: ApiError | Error; loading: boolean; reload: () => void }

/** Loads when `key` changes; an old answer never overwrites a newer one. */
export function useFetch<T>(load: (signal: AbortSignal) => Promise<T>, key: string): Loaded<T> {
  const [state, setState] = useState<{ data?: T; error?: ApiError | Error; loading: boolean }>({ loading: true });
  const [tick, setTick] = useState(0);
  useEffect(() => {
    const controller = new AbortController();
    setState((previous) => ({ ...previous, loading: true }));
    load(controller.signal).then(
      (data) => { if (!controller.signal.aborted) setState({ data, loading: false }); },
      (error: Error) => { if (!controller.signal.aborted) setState({ error, loading: false }); },
    );
    return () => controller.abort();
  }, [key, tick]);
  return { ...state, reload: () => setTick((n) => n + 1) };
}

export function ErrorNote(props: { error?: Error }) {
  if (!props.error) return null;
  return <p class="error" role="alert">{props.error.message}</p>;
}
