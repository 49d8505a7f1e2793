// Stands in for @actions/exec in the bundle: @actions/core imports it only for platform details
// (core.platform.getDetails), which this action never asks for. Loading it would start child_process.
const unavailable = () => {
  throw new Error('@actions/exec is not bundled with this action')
}

export const exec = unavailable
export const getExecOutput = unavailable
