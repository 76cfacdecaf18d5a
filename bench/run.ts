/**
 * Runs every bench/*.bench.ts module (compiled next to this file) and prints one aligned table.
 * Build and run: npx tsc -p bench && node out-bench/bench/run.js [name-filter]
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

export interface BenchRow {
  name: string;
  value: number | string;
  goal?: string;
  note?: string;
}

export interface BenchContext {
  /** Progress for the human watching (stderr); the table alone goes to stdout. */
  log(message: string): void;
}

interface BenchModule {
  rows(ctx: BenchContext): Promise<BenchRow[]>;
}

async function main(): Promise<void> {
  const filter = process.argv[2] ?? '';
  const files = fs.readdirSync(__dirname).filter((f) => f.endsWith('.bench.js') && f.includes(filter)).sort();
  const rows: BenchRow[] = [];
  for (const file of files) {
    const name = file.replace(/\.bench\.js$/, '');
    const ctx: BenchContext = { log: (message) => process.stderr.write(`[${name}] ${message}\n`) };
    try {
      const module = (await import(path.join(__dirname, file))) as BenchModule;
      rows.push(...(await module.rows(ctx)));
    } catch (error) {
      rows.push({ name, value: 'FAILED', note: error instanceof Error ? error.message : String(error) });
      process.exitCode = 1;
    }
  }
  process.stdout.write(formatTable(rows));
}

function formatTable(rows: readonly BenchRow[]): string {
  const cells = [['name', 'value', 'goal', 'note'], ...rows.map((r) => [r.name, formatValue(r.value), r.goal ?? '', r.note ?? ''])];
  const widths = [0, 1, 2].map((col) => Math.max(...cells.map((row) => row[col].length)));
  return cells.map((row) => row.map((cell, col) => (col < 3 ? cell.padEnd(widths[col]) : cell)).join('  ').trimEnd()).join('\n') + '\n';
}

function formatValue(value: number | string): string {
  if (typeof value === 'string' || Number.isInteger(value)) return String(value);
  return value.toFixed(Math.abs(value) >= 100 ? 0 : Math.abs(value) >= 10 ? 1 : 2);
}

void main();
