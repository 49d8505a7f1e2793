// What finding, changing and reporting an install page needs of a step: Applivery's APIs, the scope, and where
// to report and log. An operation's context is one.
import type { BuildsApi, PublicationsAccess } from '../applivery/api.js'
import type { ApiScope } from '../applivery/types.js'
import type { Log } from '../output/log.js'
import type { Report } from '../report/report.js'

export interface InstallPageContext {
  api: BuildsApi
  /** Install pages (Applivery's publications). */
  publications: PublicationsAccess
  scope: ApiScope
  report: Report
  log: Log
}
