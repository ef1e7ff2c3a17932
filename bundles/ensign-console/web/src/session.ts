import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import { canWrite, type Caller } from './api';

/** The signed-in caller, for the pages to show or hide their edit controls (the server refuses anyway). */
export const Session = createContext<Caller | null>(null);

export function useCanWrite(): boolean {
  return canWrite(useContext(Session));
}
