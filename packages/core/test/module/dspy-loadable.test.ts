import 'reflect-metadata';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ChainOfThought,
  Input,
  Output,
  Param,
  Predict,
  Predictor,
  Program,
  SIGIL_VERSION,
  Signature,
} from '@sigil/core';

@Signature('Answer the question.')
class QA {
  @Input() readonly question!: string;
  @Output() answer!: string;
}

class RAG extends Program {
  @Predictor() draft = new ChainOfThought(QA);
  @Predictor() respond = new Predict(QA);
  @Param({ choices: [1, 3, 5] }) k = 3;
  async forward(x: { question: string }) {
    return this.respond.forward(x);
  }
}

const dir = mkdtempSync(join(tmpdir(), 'sigil-dspy-load-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The versions DSPy 3.3.1's `get_dependency_versions()` reports (what its `load()` looks each key up in). */
const DSPY_KNOWS = new Set(['python', 'dspy', 'cloudpickle']);

/**
 * What DSPy's `Module.load(path)` does with a saved file, step by step (dspy/primitives/base_module.py,
 * dspy/predict/predict.py, dspy/signatures/signature.py), throwing where Python would raise.
 */
function loadAsDSPy(state: Record<string, any>, predictorPaths: readonly string[]): void {
  for (const key of Object.keys(state.metadata.dependency_versions)) {
    if (!DSPY_KNOWS.has(key)) throw new Error(`KeyError: '${key}'`);
  }
  const entries =
    predictorPaths.length === 1 && predictorPaths[0] === 'self'
      ? [state]
      : predictorPaths.map((p) => state[p]);
  for (const entry of entries) {
    if (entry === undefined) throw new Error('KeyError: predictor');
    // Predict.load_state: every key but signature/lm is set as an attribute; signature and lm are read.
    const { signature, lm } = entry;
    if (!('lm' in entry)) throw new Error("KeyError: 'lm'");
    if (lm !== null && typeof lm.model !== 'string') throw new Error('lm state without a model');
    if (typeof signature.instructions !== 'string') throw new Error("KeyError: 'instructions'");
    for (const field of signature.fields) {
      if (typeof field.prefix !== 'string' || typeof field.description !== 'string')
        throw new Error("KeyError: 'prefix' / 'description'");
    }
    if (!Array.isArray(entry.demos) || !Array.isArray(entry.traces) || !Array.isArray(entry.train))
      throw new Error('demos, traces and train must be lists');
  }
}

describe('saved programs DSPy can load', () => {
  it('writes only the dependency keys DSPy knows, with Sigil’s own section beside them', async () => {
    const program = new RAG();
    program.k = 5;
    const file = join(dir, 'rag.json');
    await program.save(file);
    const saved = JSON.parse(readFileSync(file, 'utf8'));
    expect(Object.keys(saved.metadata.dependency_versions).sort()).toEqual(['cloudpickle', 'dspy', 'python']);
    expect(saved.metadata.sigil).toEqual({ version: SIGIL_VERSION, params: { k: 5 } });
  });

  it('round-trips a program: saved by Sigil, read with the rules DSPy applies, loaded again', async () => {
    const program = new RAG();
    program.draft.predict.loadState(
      { signature: { instructions: 'Think, then answer.' } },
      { partial: true },
    );
    program.respond.loadState(
      { demos: [{ question: 'Capital of France?', answer: 'Paris' }] },
      { partial: true },
    );
    program.k = 1;
    const file = join(dir, 'round-trip.json');
    await program.save(file);
    const saved = JSON.parse(readFileSync(file, 'utf8'));
    expect(() => loadAsDSPy(saved, ['draft.predict', 'respond'])).not.toThrow();
    const again = await new RAG().load(file);
    expect(again.dumpState()).toEqual(program.dumpState());
    expect(again.draft.predict.instructions).toBe('Think, then answer.');
    expect(again.k).toBe(1);
  });

  it('writes a lone Predict flat, as DSPy does, and DSPy’s rules accept it', async () => {
    const file = join(dir, 'lone.json');
    await new Predict(QA).save(file);
    const saved = JSON.parse(readFileSync(file, 'utf8'));
    expect(Object.keys(saved)).toEqual(['traces', 'train', 'demos', 'signature', 'lm', 'metadata']);
    expect(() => loadAsDSPy(saved, ['self'])).not.toThrow();
  });

  it('still loads files Sigil wrote before (dependency_versions.sigil, params under metadata.sigil)', async () => {
    const file = join(dir, 'old.json');
    const reference = new RAG();
    reference.k = 5;
    const old = reference.dumpState() as Record<string, any>;
    old.metadata = { dependency_versions: { sigil: '0.1.0' }, sigil: { params: { k: 5 } } };
    writeFileSync(file, JSON.stringify(old));
    const loaded = await new RAG().load(file);
    expect(loaded.k).toBe(5);
  });
});
