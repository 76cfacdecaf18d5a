import type { ProfileInfo } from '../session/profiles';
import { matchesPattern } from './patterns';

export interface ProfilePick {
  label: string;
  description: string;
  picked: boolean;
}

/**
 * The items of "Select Profiles…": the chosen patterns first (each with how many profiles it matches), then every
 * profile, those chosen by name picked. Pure, and linear in profiles × patterns: 5,000 profiles stay instant.
 */
export function profilePicks(profiles: readonly ProfileInfo[], chosen: readonly string[]): ProfilePick[] {
  const names = new Set(profiles.map((p) => p.name));
  const patterns = chosen.filter((p) => !names.has(p));
  const byName = new Set(chosen);
  return [
    ...patterns.map((p) => ({ label: p, description: `pattern · matches ${profiles.filter((profile) => matchesPattern(profile.name, p)).length}`, picked: true })),
    ...profiles.map((p) => ({ label: p.name, description: [p.source, p.region].filter(Boolean).join(' · '), picked: byName.has(p.name) })),
  ];
}
