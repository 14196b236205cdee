/**
 * Runs every benchmark, each in a fresh child process, one after another (so they never compete for the two
 * cores), prints a summary table, writes results/latest.json (raw figures and the machine) and regenerates
 * the tables of README.md between their `<!-- bench:NAME:start -->` / `<!-- bench:NAME:end -->` markers.
 *
 *   npm run bench          full run (a few minutes)
 *   npm run bench:smoke    `--quick`: CI-sized (under a minute); writes results/quick.json, leaves README.md alone
 *   npm run bench -- --only distributed,optimizer
 *                          just those benchmarks: their figures replace theirs in results/latest.json, their
 *                          README tables and the summary are regenerated, the other tables stay as they are
 *
 * A benchmark that misses a target still reports (its figures are what the tables show); only a benchmark
 * that crashes makes the run fail.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BENCHMARKS, type Figures, summaryRows } from './support/tables';
import { machine, quick } from './support/stats';

const README = join(__dirname, 'README.md');
const LATEST = join(__dirname, 'results', 'latest.json');

/** The benchmarks named by `--only a,b` (every one without it); an unknown name is an error. */
function selected(): typeof BENCHMARKS {
  const at = process.argv.indexOf('--only');
  if (at < 0) return BENCHMARKS;
  const names = (process.argv[at + 1] ?? '').split(',').filter(Boolean);
  const unknown = names.filter((name) => !BENCHMARKS.some((b) => b.name === name));
  if (names.length === 0 || unknown.length > 0) {
    throw new Error(
      `--only takes benchmark names (${BENCHMARKS.map((b) => b.name).join(', ')}); got "${process.argv[at + 1] ?? ''}".`,
    );
  }
  return BENCHMARKS.filter((b) => names.includes(b.name));
}

async function runBenchmark(file: string): Promise<{ figures: Figures; seconds: number }> {
  const started = performance.now();
  const args = [
    '-r',
    'ts-node/register/transpile-only',
    join(__dirname, file),
    ...(quick ? ['--quick'] : []),
  ];
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const [code] = (await once(child, 'exit')) as [number | null];
  const seconds = (performance.now() - started) / 1000;
  try {
    return { figures: { ...JSON.parse(output), exitCode: code }, seconds };
  } catch {
    throw new Error(`${file} exited with code ${code} without printing its figures.`);
  }
}

/** What a person reruns to get these figures. */
function command(): string {
  const at = process.argv.indexOf('--only');
  const only = at >= 0 ? ` --only ${process.argv[at + 1]}` : '';
  const script = process.env.npm_lifecycle_event;
  if (script === 'bench' || script === 'bench:smoke') return `npm run ${script}${only ? ` --${only}` : ''}`;
  return `node -r ts-node/register/transpile-only benchmarks/run.ts${quick ? ' --quick' : ''}${only}`;
}

function printTable(rows: string[][]): void {
  const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column].length)));
  for (const [index, row] of rows.entries()) {
    console.log(row.map((cell, column) => cell.padEnd(widths[column])).join('  '));
    if (index === 0) console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  }
}

/** Replaces the text between a benchmark's markers; a missing marker is an error, not a silent skip. */
function replaceBlock(readme: string, name: string, body: string): string {
  const start = `<!-- bench:${name}:start -->`;
  const end = `<!-- bench:${name}:end -->`;
  const from = readme.indexOf(start);
  const to = readme.indexOf(end);
  if (from < 0 || to < from) throw new Error(`README.md has no ${start} … ${end} block — add the markers.`);
  return `${readme.slice(0, from + start.length)}\n${body.trim()}\n${readme.slice(to)}`;
}

async function main(): Promise<void> {
  const started = new Date();
  const machineBefore = machine();
  const chosen = selected();
  const partial = chosen.length < BENCHMARKS.length;
  // A partial run keeps the other benchmarks' figures of the last full run.
  const earlier = partial && !quick ? (JSON.parse(readFileSync(LATEST, 'utf8')) as Figures) : undefined;
  const results: Record<string, Figures> = { ...(earlier?.benchmarks ?? {}) };
  const timings: Record<string, number> = { ...(earlier?.secondsPerBenchmark ?? {}) };
  for (const benchmark of chosen) {
    process.stderr.write(`▶ ${benchmark.name} (${benchmark.file}) … `);
    const { figures, seconds } = await runBenchmark(benchmark.file);
    results[benchmark.name] = figures;
    timings[benchmark.name] = Math.round(seconds * 10) / 10;
    process.stderr.write(`${seconds.toFixed(1)} s\n`);
  }
  const run = {
    date: started.toISOString().slice(0, 10),
    startedAt: started.toISOString(),
    command: command(),
    quick,
    durationSeconds: Math.round((Date.now() - started.getTime()) / 100) / 10,
    machine: {
      ...machineBefore,
      loadAverageAtStart: machineBefore.loadAverage,
      loadAverageAtEnd: machine().loadAverage,
    },
    secondsPerBenchmark: timings,
  };
  const complete = BENCHMARKS.every((b) => results[b.name] !== undefined);
  const summary = complete ? summaryRows(results) : [];
  console.log('');
  if (complete) printTable([['Measurement', 'Sigil', 'Ax / reference', 'Ratio', 'Target'], ...summary]);
  else console.log('(no summary: some benchmarks have no figures yet — run them all once)');
  console.log(
    `\n${run.durationSeconds} s on ${run.machine.cpus} CPUs, Node ${run.machine.node}, load ${run.machine.loadAverage.join(' ')}`,
  );
  const out = quick ? join(__dirname, 'results', 'quick.json') : LATEST;
  const record =
    partial && earlier ? { ...earlier, lastPartialRun: { ...run, only: chosen.map((b) => b.name) } } : run;
  writeFileSync(
    out,
    `${JSON.stringify({ ...record, benchmarks: results, secondsPerBenchmark: timings }, null, 2)}\n`,
  );
  if (quick) return;
  const load = `load average ${run.machine.loadAverageAtStart.join(' / ')} at the start, ${run.machine.loadAverageAtEnd.join(' / ')} at the end`;
  const footer =
    `Measured ${run.date} on ${run.machine.cpus} CPUs (${run.machine.cpuModel}), ${run.machine.memoryGb} GB memory, ` +
    `Node ${run.machine.node}; ${load} (the machine is shared). Command: \`${run.command}\` (${run.durationSeconds} s).`;
  let readme = readFileSync(README, 'utf8');
  if (complete && !partial)
    readme = replaceBlock(readme, 'summary', `${markdownTable(summary)}\n\n${footer}`);
  for (const benchmark of chosen) {
    readme = replaceBlock(
      readme,
      benchmark.name,
      `${benchmark.markdown(results[benchmark.name])}\n\n${footer}`,
    );
  }
  writeFileSync(README, readme);
}

function markdownTable(rows: string[][]): string {
  const header = ['Measurement', 'Sigil', 'Ax / reference', 'Ratio', 'Target'];
  return [header, header.map(() => '---'), ...rows].map((row) => `| ${row.join(' | ')} |`).join('\n');
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
