import { ToolBridgeError } from './errors';

/**
 * Requires an optional peer dependency when a bridge is first used, so `@sigil/tools` loads without any of
 * them; a missing one is an error naming the package to install.
 */
export function requirePeer<T>(specifier: string, packageName: string, feature: string): T {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require(specifier) as T;
  } catch (error) {
    if ((error as { code?: string })?.code !== 'MODULE_NOT_FOUND') throw error;
    throw new ToolBridgeError(
      `${feature} needs the package ${packageName}, which is not installed — npm install ${packageName}.`,
      { code: 'TOOL_BRIDGE_MISSING_PEER', cause: error },
    );
  }
}
