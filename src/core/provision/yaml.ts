import { stringify } from 'yaml';

/** JSON-shaped data (CloudFormation templates, cloud-init user data). */
export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

/**
 * Block-style YAML through the `yaml` library. CloudFormation and cloud-init read YAML 1.1, so strings 1.1 would
 * misread ("yes", "0755", "on") are quoted; multi-line text stays an exact literal block; no line is folded.
 */
export function toYaml(value: Json): string {
  return stringify(value, { version: '1.1', lineWidth: 0, blockQuote: 'literal' });
}
