import type { CodegenConfig } from '@graphql-codegen/cli';

// Types for every operation in src/, from the server's exported schema. An operation that does
// not fit the schema fails here, before it can fail at the register.
const config: CodegenConfig = {
  schema: '../schema.graphql',
  documents: ['src/**/*.ts', 'src/**/*.tsx', '!src/gql/**/*', '!src/**/*.test.ts', '!src/**/*.test.tsx'],
  ignoreNoDocuments: true,
  generates: {
    'src/gql/': {
      preset: 'client',
      presetConfig: { fragmentMasking: false },
      config: {
        scalars: { Decimal: 'string', DateTime: 'string', ID: 'string', JSON: 'unknown' },
        strictScalars: true,
        enumsAsTypes: true,
        useTypeImports: true,
        skipTypename: true,
        dedupeFragments: true,
      },
    },
  },
};

export default config;
