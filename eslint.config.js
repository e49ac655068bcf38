import { readdirSync } from 'node:fs'
import js from '@eslint/js'
import importX from 'eslint-plugin-import-x'
import tseslint from 'typescript-eslint'

// The module boundaries (docs/adr/0012-areas-as-modules.md), worked out from the folders so a new area needs no edit
// here: the platform imports no area; an area imports another only through its index.ts; within an area, data/
// imports no services/ or routes/, and routes/ import no data/.
const NOT_AREAS = new Set(['platform', 'cli'])
const AREAS = readdirSync('src', { withFileTypes: true })
  .filter((entry) => entry.isDirectory() && !NOT_AREAS.has(entry.name))
  .map((entry) => entry.name)
const boundaryZones = [
  ...[...AREAS.map((area) => `./src/${area}`), './src/compositionRoot.ts', './src/demo.ts', './src/server.ts'].map(
    (from) => ({
      target: './src/platform',
      from,
      message: 'The platform imports no area: take what you need from the services the composition root hands over.',
    }),
  ),
  ...AREAS.flatMap((area) =>
    AREAS.filter((other) => other !== area).map((other) => ({
      target: `./src/${area}`,
      from: `./src/${other}`,
      except: ['./index.ts'],
      message: `Another area is imported only through its index.ts (src/${other}/index.ts).`,
    })),
  ),
  ...AREAS.flatMap((area) => [
    {
      target: `./src/${area}/data`,
      from: [`./src/${area}/services`, `./src/${area}/routes`],
      message: 'data/ (storage) imports no services/ or routes/.',
    },
    { target: `./src/${area}/routes`, from: `./src/${area}/data`, message: 'routes/ import no data/: call a service.' },
  ]),
]

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', '.data/', 'coverage/', 'bench/results/', 'bench/tmp/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { arguments: false } }],
    },
  },
  {
    files: ['src/**/*.ts'],
    plugins: { 'import-x': importX },
    rules: { 'import-x/no-restricted-paths': ['error', { zones: boundaryZones }] },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    extends: [tseslint.configs.disableTypeChecked],
    languageOptions: { globals: { console: 'readonly', process: 'readonly' } },
  },
  {
    files: ['src/**/assets/**/*.js'],
    languageOptions: {
      globals: {
        document: 'readonly',
        window: 'readonly',
        sessionStorage: 'readonly',
        CSS: 'readonly',
        HTMLScriptElement: 'readonly',
      },
    },
  },
)
