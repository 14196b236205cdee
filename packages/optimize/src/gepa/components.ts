import { createHash } from 'node:crypto';
import type { Module, ParameterHandle, StatePatch } from '@sigil/core';
import { statePatch } from '@sigil/core/internal';
import { withState } from '../optimizer/candidate';
import { OptimizerError } from '../optimizer/errors';

/** A candidate of GEPA: one text per component (predictor path → instruction). */
export type Texts = Readonly<Record<string, string>>;

/**
 * The learnable instructions of a program — GEPA's components — found only through its parameter
 * handles, in discovery order. GEPA reads and writes nothing else (demos and `@Param`s stay as given).
 */
export class Components {
  readonly paths: readonly string[];
  private readonly handles: readonly ParameterHandle[];
  private readonly instructionHandles: ReadonlyMap<string, ParameterHandle>;

  constructor(
    private readonly base: Module,
    optimizer: string,
  ) {
    this.handles = base.parameters();
    const instructions = this.handles.filter((h) => h.kind === 'instructions' && h.learnable);
    if (instructions.length === 0) {
      throw new OptimizerError(
        `${optimizer}: ${base.constructor.name} has no learnable instruction to evolve — it needs at least one ` +
          'predictor (a Predict, ChainOfThought, ReAct …) declared with @Predictor().',
      );
    }
    this.instructionHandles = new Map(instructions.map((h) => [h.predictor ?? h.path, h]));
    this.paths = [...this.instructionHandles.keys()];
  }

  /** The seed candidate: every component's text as the program has it. */
  seed(): Texts {
    return Object.fromEntries(
      this.paths.map((path) => [path, this.instructionHandles.get(path)!.get() as string]),
    );
  }

  /** The candidate as a state patch that sets only instructions. */
  stateOf(texts: Texts): StatePatch {
    return statePatch(
      this.paths.map((path) => [this.instructionHandles.get(path)!, texts[path]] as const),
      this.handles,
    );
  }

  /** A copy of the base program with the candidate's texts. */
  programOf(texts: Texts): Module {
    return withState(this.base, this.stateOf(texts));
  }

  /**
   * The tool lines a predictor's prompt renders around its learnable instruction (a ReAct step: "(1) search,
   * whose description is …"), shown to the reflection LM as read-only context; empty for other predictors.
   */
  toolContext(path: string): string[] {
    const owner = (this.instructionHandles.get(path) as { owner?: unknown } | undefined)?.owner as
      { instructionTemplate?: { render(task: string): string }; instructionsVerbatim?: boolean } | undefined;
    if (!owner?.instructionTemplate || owner.instructionsVerbatim) return [];
    return toolLines(owner.instructionTemplate.render(''));
  }

  /** The path → Predict instance map of a program built by `programOf` (to label its trace entries). */
  static ownersOf(program: Module): Map<object, string> {
    const owners = new Map<object, string>();
    for (const handle of program.parameters()) {
      const owner = (handle as { owner?: object }).owner;
      if (handle.kind === 'instructions' && owner && handle.predictor) owners.set(owner, handle.predictor);
    }
    return owners;
  }
}

/** sha256 of the candidate's texts sorted by component: its identity in the journal and the eval memo. */
export function candidateHash(texts: Texts): string {
  const sorted = Object.keys(texts)
    .sort()
    .map((key) => [key, texts[key]]);
  return createHash('sha256').update(JSON.stringify(sorted)).digest('hex').slice(0, 24);
}

/**
 * The line DSPy's ReAct starts its fixed agent section with. ReAct renders that section (the tool list and
 * the trajectory rules) around its learnable task instruction at prompt time; an instruction loaded
 * verbatim (another rendering of it) may still hold it, and then GEPA evolves only the task instruction in
 * front of it and puts the section back unchanged, so every tool stays listed.
 */
const REACT_SECTION = 'You are an Agent. In each episode, you will be given the fields ';

/** A component text split into what GEPA may change and the fixed agent section after it (if any). */
export function splitFixedSection(text: string): { task: string; fixed?: string } {
  const at = text.indexOf(REACT_SECTION);
  if (at < 0) return { task: text };
  return { task: text.slice(0, at).trim(), fixed: text.slice(at) };
}

/** The tool lines of a fixed agent section (`(1) search, whose description is …`), for read-only context. */
export function toolLines(fixed: string): string[] {
  return fixed.split('\n').filter((line) => /^\(\d+\) /.test(line));
}

/** A proposed task instruction joined back to the component's fixed section, as ReAct lays it out. */
export function joinFixedSection(task: string, fixed: string | undefined): string {
  if (fixed === undefined) return task;
  return task ? `${task}\n\n${fixed}` : fixed;
}
