import { Inject, type InjectionToken, type Type } from '@nestjs/common';
import type { Module } from '@sigil/core';

const namedTokens = new WeakMap<Function, Map<string, symbol>>();

/**
 * The DI token of a program registered with `SigilModule.forFeature`: the class itself, or a symbol per
 * `name` when the same class is registered more than once (two saved states, say).
 */
export function getProgramToken(program: Type<Module>, name?: string): InjectionToken {
  if (name === undefined) return program;
  let byName = namedTokens.get(program);
  if (!byName) namedTokens.set(program, (byName = new Map()));
  let token = byName.get(name);
  if (!token) byName.set(name, (token = Symbol(`${program.name}:${name}`)));
  return token;
}

/**
 * Injects a program registered with `SigilModule.forFeature`. Plain constructor injection (`rag: RAG`)
 * does the same for an unnamed registration; `name` picks one of several registrations of one class.
 * @example constructor(@InjectProgram(RAG) private readonly rag: RAG) {}
 */
export function InjectProgram(program: Type<Module>, name?: string): PropertyDecorator & ParameterDecorator {
  return Inject(getProgramToken(program, name));
}
