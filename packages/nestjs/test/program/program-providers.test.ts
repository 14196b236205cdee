import 'reflect-metadata';
import { Controller, Get, Inject, Injectable, Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { ChainOfThought, Predictor, Program, ProgramStateError } from '@sigil/core';
import { getProgramToken, InjectProgram, SigilModule } from '@sigil/nestjs';
import { ScriptedLM } from '@sigil/testing';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AnswerFromContext, RAG, RetrievalModule } from '../fixtures/rag-app';

const STATE = join(__dirname, '..', 'fixtures', 'rag-optimized.json');
const lm = new ScriptedLM(['[[ ## reasoning ## ]]\nr\n\n[[ ## answer ## ]]\nA\n\n[[ ## completed ## ]]']);

function compile(state: string) {
  return Test.createTestingModule({
    imports: [
      SigilModule.forRoot({ lm }),
      SigilModule.forFeature([{ program: RAG, state }], { imports: [RetrievalModule] }),
    ],
  }).compile();
}

describe('SigilModule.forFeature', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sigil-nestjs-'));

  it('loads the saved state into the program Nest built, before the application starts', async () => {
    const moduleRef = await compile(STATE);
    const rag = moduleRef.get(RAG);
    expect(rag.respond.predict.instructions).toBe(
      'Answer from the passages in at most five words (optimized).',
    );
    expect(rag.respond.predict.demos).toHaveLength(1);
    await moduleRef.close();
  });

  it('fails startup naming the file when the saved state is missing', async () => {
    const missing = join(dir, 'nope.json');
    const failure = compile(missing);
    await expect(failure).rejects.toBeInstanceOf(ProgramStateError);
    await expect(failure).rejects.toThrow(
      `SigilModule.forFeature(RAG): Saved program ${missing} does not exist`,
    );
  });

  it('fails startup naming the file and the problem when the saved state is not JSON', async () => {
    const file = join(dir, 'broken.json');
    writeFileSync(file, '{ "respond.predict": ');
    await expect(compile(file)).rejects.toThrow(`Saved program ${file} is not valid JSON`);
  });

  it('fails startup naming the file when the saved state belongs to another program', async () => {
    const file = join(dir, 'other.json');
    writeFileSync(file, JSON.stringify({ classify: { demos: [] }, metadata: { dependency_versions: {} } }));
    const failure = compile(file);
    await expect(failure).rejects.toThrow(/predictor "classify", which this program \(RAG\) does not have/);
    await expect(failure).rejects.toMatchObject({ file, path: 'classify' });
  });

  it('registers one class twice under names, each with its own state', async () => {
    @Controller()
    class TwoController {
      constructor(
        @InjectProgram(RAG, 'optimized') readonly optimized: RAG,
        @InjectProgram(RAG, 'baseline') readonly baseline: RAG,
      ) {}
      @Get() noop() {}
    }
    const moduleRef = await Test.createTestingModule({
      imports: [
        SigilModule.forRoot({ lm }),
        SigilModule.forFeature(
          [
            { program: RAG, name: 'optimized', state: STATE },
            { program: RAG, name: 'baseline' },
          ],
          { imports: [RetrievalModule] },
        ),
      ],
      controllers: [TwoController],
    }).compile();
    const two = moduleRef.get(TwoController);
    expect(two.optimized).not.toBe(two.baseline);
    expect(two.optimized.respond.predict.demos).toHaveLength(1);
    expect(two.baseline.respond.predict.demos).toHaveLength(0);
    expect(moduleRef.get(getProgramToken(RAG, 'optimized'))).toBe(two.optimized);
    await moduleRef.close();
  });

  it('builds a program whose constructor takes a function through "inject"', async () => {
    const SEARCH = Symbol('SEARCH');
    class FunctionRAG extends Program {
      @Predictor() respond = new ChainOfThought(AnswerFromContext);
      constructor(readonly search: (q: string) => Promise<string[]>) {
        super();
      }
      async forward({ question }: { question: string }) {
        return this.respond.forward({ context: await this.search(question), question });
      }
    }
    const search = async (q: string) => [`about ${q}`];
    @Module({ providers: [{ provide: SEARCH, useValue: search }], exports: [SEARCH] })
    class SearchModule {}
    const moduleRef = await Test.createTestingModule({
      imports: [
        SigilModule.forRoot({ lm }),
        SigilModule.forFeature([{ program: FunctionRAG, inject: [SEARCH], state: STATE }], {
          imports: [SearchModule],
        }),
      ],
    }).compile();
    const rag = moduleRef.get(FunctionRAG);
    expect(rag.search).toBe(search);
    expect(rag.respond.predict.demos).toHaveLength(1);
    await moduleRef.close();
  });

  it('says what to do when a program with constructor arguments is not @Injectable()', () => {
    class Undecorated extends Program {
      constructor(readonly dependency: unknown) {
        super();
      }
      async forward() {
        return {};
      }
    }
    expect(() => SigilModule.forFeature([{ program: Undecorated }])).toThrow(
      'SigilModule.forFeature(Undecorated): its constructor takes 1 argument(s) but Nest cannot see their types — ' +
        'decorate the class with @Injectable(), or list the arguments with "inject".',
    );
  });

  it('refuses a class that is not a program', () => {
    @Injectable()
    class NotAProgram {}
    // @ts-expect-error: only Program classes compile here; the runtime check covers untyped callers.
    expect(() => SigilModule.forFeature([{ program: NotAProgram }])).toThrow(
      /"program" must be a Program class .* got NotAProgram/,
    );
  });

  it('lets ordinary providers inject a program with @Inject(Class)', async () => {
    @Injectable()
    class Consumer {
      constructor(@Inject(RAG) readonly rag: RAG) {}
    }
    const moduleRef = await Test.createTestingModule({
      imports: [
        SigilModule.forRoot({ lm }),
        SigilModule.forFeature([{ program: RAG }], { imports: [RetrievalModule] }),
      ],
      providers: [Consumer],
    }).compile();
    expect(moduleRef.get(Consumer).rag).toBe(moduleRef.get(RAG));
    await moduleRef.close();
  });
});
