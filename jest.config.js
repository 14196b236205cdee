/**
 * One Jest run over every package. Tests import packages by name (`@sigil/core`); the mapper points
 * those names at `src/` so tests need no build. ts-jest transpiles only: `npm run typecheck` is the
 * type check (including the `@ts-expect-error` type-level tests).
 */
const packages = ['core', 'testing', 'optimize', 'cli', 'nestjs', 'distributed', 'tools'];

/** @type {import('jest').Config} */
module.exports = {
  projects: [
    ...packages.map((name) => ({
      displayName: name,
      rootDir: `<rootDir>/packages/${name}`,
      testMatch: ['<rootDir>/test/**/*.test.ts'],
      testEnvironment: 'node',
      transform: {
        '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/../../tsconfig.test.json' }],
      },
      moduleNameMapper: {
        '^@sigil/(core|testing|optimize|cli|nestjs|distributed|tools)$': '<rootDir>/../$1/src/index.ts',
        '^@sigil/(core|testing|optimize|cli|nestjs|distributed|tools)/internal$':
          '<rootDir>/../$1/src/internal.ts',
      },
    })),
    {
      // Checks across packages (the READMEs' code samples).
      displayName: 'docs',
      rootDir: '<rootDir>/test',
      testMatch: ['<rootDir>/**/*.test.ts'],
      testEnvironment: 'node',
      transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/../tsconfig.test.json' }] },
    },
  ],
};
