import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module';
import { validationPipe } from './validation-pipe';

async function bootstrap(): Promise<void> {
  const app = await NestFactory.create(AppModule);
  app.useGlobalPipes(validationPipe());
  // SIGTERM/SIGINT close the app: SigilModule drains in-flight LM calls first.
  app.enableShutdownHooks();
  const port = Number(process.env.PORT ?? 3000);
  await app.listen(port, '127.0.0.1');
  console.log(
    `POST http://127.0.0.1:${port}/answer  {"question": "Can I get a refund on a yearly plan?"}\n` +
      `GET  http://127.0.0.1:${port}/health`,
  );
}

bootstrap().catch((error: unknown) => {
  console.error(error instanceof Error ? `${error.name}: ${error.message}` : error);
  process.exit(1);
});
