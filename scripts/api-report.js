#!/usr/bin/env node
// The API-surface report: API Extractor reads each package's built public entry (dist/index.d.ts) and
// writes etc/<package>.api.md. In CI (`npm run api`) a report that differs from the checked-in one fails
// the run, so every addition to a public door is a deliberate, reviewed change; `npm run api:update`
// rewrites the reports after such a change.
const path = require('node:path');
const { Extractor, ExtractorConfig } = require('@microsoft/api-extractor');

const root = path.resolve(__dirname, '..');
const update = process.argv.includes('--update');
const packages = ['core', 'testing', 'optimize', 'cli', 'nestjs', 'distributed', 'tools'];
let failed = 0;
for (const name of packages) {
  const folder = path.join(root, 'packages', name);
  const config = ExtractorConfig.prepare({
    configObject: {
      projectFolder: folder,
      mainEntryPointFilePath: '<projectFolder>/dist/index.d.ts',
      compiler: { tsconfigFilePath: path.join(root, 'tsconfig.base.json'), skipLibCheck: true },
      apiReport: {
        enabled: true,
        reportFolder: path.join(root, 'etc'),
        reportTempFolder: path.join(root, 'etc', 'temp'),
        reportFileName: `${name}.api.md`,
      },
      docModel: { enabled: false },
      dtsRollup: { enabled: false },
      tsdocMetadata: { enabled: false },
      messages: {
        // Names used by the public API but not exported from it are reported inline in the .api.md.
        extractorMessageReporting: {
          default: { logLevel: 'none' },
          'ae-missing-release-tag': { logLevel: 'none' },
        },
        compilerMessageReporting: { default: { logLevel: 'warning' } },
        tsdocMessageReporting: { default: { logLevel: 'none' } },
      },
    },
    configObjectFullPath: path.join(folder, 'api-extractor.json'),
    packageJsonFullPath: path.join(folder, 'package.json'),
  });
  const result = Extractor.invoke(config, {
    localBuild: update,
    showVerboseMessages: false,
    messageCallback: (m) => {
      if (m.logLevel === 'warning' || m.logLevel === 'error') {
        console.error(`${name}: ${m.text}`);
        m.handled = true;
      } else m.handled = true;
    },
  });
  if (result.apiReportChanged && !update) {
    console.error(
      `@sigil/${name}: its public API differs from etc/${name}.api.md — review the change and run npm run api:update.`,
    );
    failed++;
  } else if (!result.succeeded) {
    console.error(`@sigil/${name}: API Extractor failed (${result.errorCount} errors).`);
    failed++;
  } else {
    console.log(
      `@sigil/${name}: public API ${result.apiReportChanged ? 'report updated' : 'unchanged'} (etc/${name}.api.md)`,
    );
  }
}
process.exit(failed > 0 ? 1 : 0);
