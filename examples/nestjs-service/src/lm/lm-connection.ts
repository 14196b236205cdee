import { Logger, Module, type OnApplicationShutdown } from '@nestjs/common';
import { LM, type LanguageModel } from '@sigil/core';
import type { FakeOpenAIServer } from '@sigil/testing';
import { startSimulator } from './simulator';

/**
 * The LM the service talks to: `SIGIL_LM` (with `OPENAI_BASE_URL` / `OPENAI_API_KEY`, or a LiteLLM proxy)
 * when set, otherwise the offline simulator. In your own service this is where `@nestjs/config` would
 * read the model name and key.
 */
export class LMConnection implements OnApplicationShutdown {
  private constructor(
    readonly lm: LanguageModel,
    readonly description: string,
    /** The offline simulator, when no SIGIL_LM is set (its `chatRequests` show what was sent). */
    readonly simulator?: FakeOpenAIServer,
  ) {}

  static async open(): Promise<LMConnection> {
    const model = process.env.SIGIL_LM;
    if (model) return new LMConnection(new LM(model), `${model} (SIGIL_LM)`);
    const simulator = await startSimulator();
    const lm = new LM('simulator/support', { baseURL: simulator.baseURL, apiKey: 'simulator', cache: false });
    return new LMConnection(
      lm,
      `the offline SIMULATOR at ${simulator.baseURL} — a scripted stand-in that quotes the best-matching ` +
        `passage, NOT a language model. Set SIGIL_LM to use a real model.`,
      simulator,
    );
  }

  /** Runs after SigilModule has drained in-flight LM calls. */
  async onApplicationShutdown(): Promise<void> {
    await this.simulator?.stop();
  }
}

@Module({
  providers: [
    {
      provide: LMConnection,
      useFactory: async () => {
        const connection = await LMConnection.open();
        new Logger('LM').log(`Answering with ${connection.description}`);
        return connection;
      },
    },
  ],
  exports: [LMConnection],
})
export class LMConnectionModule {}
