import { requirePeer } from '@sigil/tools/internal';
import { ToolBridgeError } from '@sigil/tools';

describe('optional peers', () => {
  it('names the package to install when a bridge’s library is missing', () => {
    let error: unknown;
    try {
      requirePeer('sigil-not-a-package/client.js', 'sigil-not-a-package', 'McpTools.connect');
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ToolBridgeError);
    expect(error).toMatchObject({ code: 'TOOL_BRIDGE_MISSING_PEER' });
    expect((error as Error).message).toBe(
      'McpTools.connect needs the package sigil-not-a-package, which is not installed — npm install sigil-not-a-package.',
    );
  });
});
