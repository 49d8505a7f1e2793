// A second host on this machine, in a Linux network namespace joined by a veth pair, whose link a test can cut:
// packets then vanish without a reset, as when a server or the path to it dies. Needs root, or sudo without a
// password (GitHub's Linux runners have it).
import { execFileSync, spawn, type ChildProcess } from 'node:child_process'

export interface IsolatedHost {
  /** The host's address, reachable from this machine while the link is up. */
  address: string
  /** Starts a command inside the host's namespace. */
  spawn(command: string, args: string[], options?: { cwd?: string }): ChildProcess
  /** Cuts the link: every packet to and from the host is lost from now on. */
  cut(): void
  restore(): void
  /** Stops what runs there and removes the namespace. */
  close(): void
}

const sudo = (): string[] => (process.getuid?.() === 0 ? [] : ['sudo', '-n'])

function run(...args: string[]): void {
  const [command, ...rest] = [...sudo(), ...args]
  execFileSync(command, rest, { stdio: ['ignore', 'ignore', 'pipe'] })
}

export function startIsolatedHost(name = `applivery-${process.pid}`, subnet = '10.213.7'): IsolatedHost {
  const outside = `${name.slice(0, 9)}-o`
  const inside = `${name.slice(0, 9)}-i`
  const address = `${subnet}.2`
  const children: ChildProcess[] = []
  run('ip', 'netns', 'add', name)
  try {
    run('ip', 'link', 'add', outside, 'type', 'veth', 'peer', 'name', inside)
    run('ip', 'link', 'set', inside, 'netns', name)
    run('ip', 'addr', 'add', `${subnet}.1/24`, 'dev', outside)
    run('ip', 'link', 'set', outside, 'up')
    run('ip', 'netns', 'exec', name, 'ip', 'addr', 'add', `${address}/24`, 'dev', inside)
    run('ip', 'netns', 'exec', name, 'ip', 'link', 'set', inside, 'up')
    run('ip', 'netns', 'exec', name, 'ip', 'link', 'set', 'lo', 'up')
  } catch (err) {
    cleanUp()
    throw err
  }

  function cleanUp(): void {
    for (const child of children) {
      if (child.pid !== undefined && child.exitCode === null) {
        try {
          run('kill', '-TERM', String(child.pid))
        } catch {
          // already gone
        }
      }
    }
    for (const args of [
      ['ip', 'netns', 'del', name],
      ['ip', 'link', 'del', outside]
    ]) {
      try {
        run(...args)
      } catch {
        // already gone with the namespace
      }
    }
  }

  return {
    address,
    spawn: (command, args, options = {}) => {
      const [first, ...rest] = [...sudo(), 'ip', 'netns', 'exec', name, command, ...args]
      const child = spawn(first, rest, { cwd: options.cwd, stdio: ['ignore', 'pipe', 'inherit'] })
      children.push(child)
      return child
    },
    cut: () => run('ip', 'netns', 'exec', name, 'ip', 'link', 'set', inside, 'down'),
    restore: () => run('ip', 'netns', 'exec', name, 'ip', 'link', 'set', inside, 'up'),
    close: cleanUp
  }
}
