import { Module } from './module';
import { walkModules } from './walk';

declare module './module' {
  interface Module {
    /**
     * Releases what the program's modules hold — the connections of their tools (an MCP server) — by calling
     * `closeOwn()` on every declared module that has one. Call it when the program is done with.
     * @example const agent = new ReAct(sig, { tools: mcp.tools }); … await agent.close();
     */
    close(): Promise<void>;
  }
}

Module.prototype.close = async function close(this: Module): Promise<void> {
  const closing: Promise<void>[] = [];
  walkModules(
    this,
    (value) => value instanceof Module,
    (_path, module) => {
      const own = (module as { closeOwn?: () => Promise<void> }).closeOwn;
      if (typeof own === 'function') closing.push(own.call(module));
    },
  );
  await Promise.all(closing);
};
