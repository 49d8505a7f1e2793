// Stands in for @actions/http-client's main module in the bundle: @actions/core imports its HttpClient only
// for OIDC tokens (core.getIDToken), which this action never asks for. The real one loads tunnel, assert
// and undici's proxy agent. The action uses the package's NO_PROXY rules (lib/proxy), which stay real.
export class HttpClient {
  constructor() {
    throw new Error('@actions/http-client is not bundled with this action')
  }
}
