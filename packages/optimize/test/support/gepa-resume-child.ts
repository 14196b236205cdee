// Runs the journaled GEPA scenario and SIGKILLs itself (no clean-up) when the LM is about to answer call N.
import { context } from '@sigil/core';
import { gepaScenario } from './gepa-scenario';

const [journal, killAtCall] = process.argv.slice(2);
const scenario = gepaScenario(journal);
const call = scenario.lm.call.bind(scenario.lm);
scenario.lm.call = (messages, options) => {
  if (scenario.lm.calls + 1 === Number(killAtCall)) process.kill(process.pid, 'SIGKILL');
  return call(messages, options);
};
void context({ lm: scenario.lm }, () => scenario.optimizer().compile(scenario.program(), scenario.data));
