// The entry the runner executes: dist/index.js.
import { run } from './main.js'

await run()
