import { InputError } from './errors.js';

export type Profile = 'quick' | 'full';
export const PROFILES: readonly Profile[] = ['quick', 'full'];

export function parseProfile(value: string, where = '--profile'): Profile {
  if ((PROFILES as readonly string[]).includes(value)) return value as Profile;
  throw new InputError(`${where}: unknown profile ${JSON.stringify(value)}; expected quick or full`);
}
