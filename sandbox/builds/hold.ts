// Holding the answer to an upload: the real server works on the file before it answers, at times for minutes.
import type { Behaviour, UploadHold } from '../behaviour.js'
import { ok, sleep, type Reply } from '../transport/http.js'
import type { Store } from './store.js'
import type { StoredBuild } from './types.js'

/** A build made from a received upload, and the call that puts it in the store. */
export interface NewBuild {
  build: StoredBuild
  add(): void
}

/**
 * Makes the build and adds it before the hold ('start') or after it ('end'), then resolves with it once the hold
 * is over. The hold ignores the client: the server keeps working after its client has given up.
 */
export async function storeUpload(store: Store, hold: UploadHold | undefined, make: () => NewBuild): Promise<StoredBuild> {
  const epoch = store.epoch
  if (hold?.visible === 'end') await sleep(hold.ms)
  const { build, add } = make() // made at the moment it becomes visible, so createdAt orders builds as lists show them
  if (store.epoch === epoch) add() // a reset() during the hold has forgotten this upload
  if (hold?.visible === 'start') await sleep(hold.ms)
  return build
}

/** The answer to an upload, held as configured. */
export async function heldAnswer(store: Store, behaviour: Behaviour, make: () => NewBuild): Promise<Reply> {
  const hold = behaviour.uploadHold
  const build = await storeUpload(store, hold, make)
  return hold ? { ...ok(build), held: true } : ok(build)
}
