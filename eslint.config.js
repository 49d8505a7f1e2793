import js from '@eslint/js'
import globals from 'globals'
import tseslint from 'typescript-eslint'

/** What prints to the step's log: only src/output/log.ts may, so outside text always passes its neutraliser. */
const PRINTING = ['info', 'warning', 'error', 'notice', 'debug', 'setFailed', 'startGroup', 'endGroup', 'group']
const ONE_WAY_OUT =
  'The log is written through src/output/log.ts only (ActionLog), which neutralises workflow commands and redacts secrets.'

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'coverage/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }]
    }
  },
  {
    files: ['src/**/*.ts'],
    ignores: ['src/output/log.ts'],
    rules: {
      'no-console': 'error',
      'no-restricted-properties': [
        'error',
        ...PRINTING.map((property) => ({ object: 'core', property, message: ONE_WAY_OUT })),
        { object: 'process', property: 'stdout', message: ONE_WAY_OUT },
        { object: 'process', property: 'stderr', message: ONE_WAY_OUT }
      ],
      'no-restricted-syntax': [
        'error',
        {
          selector: `ImportDeclaration[source.value='@actions/core'] ImportSpecifier[imported.name=/^(${PRINTING.join('|')})$/]`,
          message: ONE_WAY_OUT
        }
      ]
    }
  }
)
