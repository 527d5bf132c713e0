import {useState, useSyncExternalStore} from 'react';
import {initialState, reducer, type Action, type AppState} from '../state.js';

/** The app state held outside React: dispatch applies the reducer at once, so get() is always current. */
export interface Store {
  get(): AppState;
  dispatch(action: Action): void;
  subscribe(listener: () => void): () => void;
}

function createStore(): Store {
  let state = initialState();
  const listeners = new Set<() => void>();
  return {
    get: () => state,
    dispatch: (action) => {
      const next = reducer(state, action);
      if (next === state) return;
      state = next;
      for (const l of listeners) l();
    },
    subscribe: (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
  };
}

/**
 * The console's state and its store. Keys read store.get() rather than the render's copy, so a
 * key arriving before the previous key's render sees what that key did (no key queue).
 */
export function useStore(): [AppState, Store] {
  const [store] = useState(createStore);
  const state = useSyncExternalStore(store.subscribe, store.get);
  return [state, store];
}
