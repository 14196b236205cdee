import { BootstrapRandomSearch } from '@sigil/optimize';
import { arithmeticExamples, exact } from './arithmetic';

/** The run the resume tests kill and resume, shared by the test and the child process. */
export function scenarioSearch(journal?: string, resume = false): BootstrapRandomSearch {
  return new BootstrapRandomSearch({ metric: exact, numCandidatePrograms: 4, seed: 1, journal, resume });
}

export const scenarioData = { trainset: arithmeticExamples(12), valset: arithmeticExamples(20, 100) };
