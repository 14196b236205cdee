// Runs the journaled fine-tuning scenario against the parent's fake server and SIGKILLs itself (no
// clean-up) once the job has been polled twice.
import { configure } from '@sigil/core';
import { fakeLM, finetuner, Solver, sums } from './finetune-task';

const [baseURL, journal, outputDir] = process.argv.slice(2);
configure({ lm: fakeLM(baseURL) });
const optimizer = finetuner({ journal, outputDir });
let polls = 0;
optimizer.on('finetune', (event) => {
  if (event.phase === 'poll' && ++polls === 2) process.kill(process.pid, 'SIGKILL');
});
void optimizer.compile(new Solver(), { trainset: sums() });
