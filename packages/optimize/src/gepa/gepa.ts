import type { Example, Module } from '@sigil/core';
import { callsPerProgramCall, type CompileData, Optimizer } from '../optimizer/optimizer';
import type { Estimate } from '../optimizer/report';
import type { OptimizerRun } from '../optimizer/run';
import { selectionEstimate } from '../optimizer/selection';
import { metricCallBudget, planProposals } from './budget';
import { Components } from './components';
import { GEPAEngine } from './engine';
import { checkGEPAOptions, type GEPAOptions, resolveGEPAOptions } from './options';
import { gepaReport } from './report-builder';
import { logWarning } from '@sigil/core/internal';

/**
 * GEPA (Agrawal et al., 2025; DSPy's `dspy.GEPA`): reflective prompt evolution. Each iteration picks a
 * parent from the Pareto front of per-example valset scores, runs it on a 3-example minibatch with traces,
 * shows a reflection LM the inputs, outputs and metric feedback of one predictor, and tests the instruction
 * it writes on the same minibatch; a child that does better is scored on the valset and joins the pool.
 * Merges combine candidates that improved different predictors. Only instructions change.
 * @example
 * const optimized = await new GEPA({ metric: exactMatch('answer', { feedback: true }), auto: 'light', reflectionLM })
 *   .compile(program, { trainset, valset });
 */
export class GEPA extends Optimizer<GEPAOptions> {
  readonly name = 'GEPA';

  constructor(options: GEPAOptions) {
    super(options);
    checkGEPAOptions(options);
  }

  /** The metric calls this run may spend (from `auto`, `maxMetricCalls` or `maxFullEvals`). */
  metricCalls(program: Module, data: CompileData): number {
    const components = countInstructions(program);
    const val = valsetOf(data);
    return metricCallBudget(
      this.options,
      components,
      data.trainset.length,
      val.length,
      Boolean(data.valset?.length),
    );
  }

  estimate(program: Module, data: CompileData): Estimate {
    const metricCalls = this.metricCalls(program, data);
    const val = valsetOf(data).length;
    const b = this.options.reflectionMinibatchSize ?? 3;
    const plan = planProposals(metricCalls, b, val);
    const perProposal = this.options.componentSelector === 'all' ? countInstructions(program) : 1;
    const per = callsPerProgramCall(program);
    // The budget is spent to the last iteration, which may overshoot it by up to 2b + |V|; most proposals
    // are rejected (one reflection call per 2b metric calls), accepted ones cost |V| more.
    const most = metricCalls + 2 * b + val;
    const expectedReflections = Math.round(((plan.minProposals + plan.maxProposals) / 2) * perProposal);
    return {
      lmCalls: Math.round(metricCalls * per.expected + expectedReflections),
      maxLmCalls: Math.round(most * per.max + plan.maxProposals * perProposal),
      programCalls: most,
      metricCalls,
      steps: [
        { name: 'baseline (seed on the valset)', programCalls: val },
        {
          name: `${plan.minProposals}–${plan.maxProposals} proposals (1 reflection LM call each${perProposal > 1 ? ` per instruction` : ''})`,
          programCalls: most - val,
        },
      ],
    };
  }

  protected async optimize(run: OptimizerRun, student: Module, data: CompileData): Promise<Module> {
    const components = new Components(student, this.name);
    const val = valsetOf(data);
    if (!data.valset?.length) {
      logWarning(
        'SIGIL_GEPA_NO_VALSET',
        'GEPA: no valset given, so the trainset is also the Pareto set — this is inference-time search and will ' +
          'overfit the trainset; pass a separate valset to optimize for unseen inputs.',
      );
    }
    const options = resolveGEPAOptions(this.options, this.metricCalls(student, data));
    const engine = new GEPAEngine(run, options, components, {
      train: data.trainset as Example[],
      val: val as Example[],
    });
    const best = await engine.optimize();
    const member = engine.pool.members[best];
    run.bestScore = Math.round(member.aggregate * 10000) / 100;
    run.gepa = gepaReport(engine, best, options.maxMetricCalls);
    const ids = val.map((_, i) => i);
    run.selection = selectionEstimate(
      engine.pool.members.map((m) => ids.map((id) => m.valScores.get(id) ?? 0)),
      best,
      run.seed,
    );
    return components.programOf(member.texts);
  }
}

function valsetOf(data: CompileData): readonly Example[] {
  return data.valset && data.valset.length > 0 ? data.valset : data.trainset;
}

function countInstructions(program: Module): number {
  return Math.max(1, program.parameters().filter((h) => h.kind === 'instructions' && h.learnable).length);
}
