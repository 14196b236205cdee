import { type Type, ValidationPipe } from '@nestjs/common';

/**
 * Nest's ValidationPipe with class-validator. The pipe builds the DTO with class-transformer when it is
 * installed (as in most Nest apps — then `new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true })`
 * is all you need); this example only depends on class-validator, so it hands the pipe a minimal
 * transformer that is enough for DTOs of plain fields.
 */
export function validationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transformerPackage: {
      plainToInstance: <T>(cls: Type<T>, plain: unknown) => Object.assign(new cls() as object, plain) as T,
      classToPlain: (object: unknown) => ({ ...(object as Record<string, unknown>) }),
    },
  });
}
