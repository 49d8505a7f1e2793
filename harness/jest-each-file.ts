// After each test file: the workspaces its tests made go, so a run's temp folder stays small.
import { afterAll } from '@jest/globals'
import { removeWorkspaces } from './runner.js'

afterAll(() => removeWorkspaces())
