// Runs the journaled scenario search and kills itself (SIGKILL, no clean-up) after N candidates.
import { configure } from '@sigil/core';
import { DemoSensitiveLM, questionAnswerer } from './arithmetic';
import { scenarioData, scenarioSearch } from './resume-scenario';

const [journal, killAfter] = process.argv.slice(2);
configure({ lm: new DemoSensitiveLM() });
const optimizer = scenarioSearch(journal);
optimizer.on('candidate', (candidate) => {
  if (candidate.index + 1 === Number(killAfter)) process.kill(process.pid, 'SIGKILL');
});
void optimizer.compile(questionAnswerer(), scenarioData);
