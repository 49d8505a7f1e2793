// GitHub's context, read by @actions/github's own Context class. The package's entry point also loads
// octokit and, when HTTPS_PROXY is set, builds a proxy fetch dispatcher as it is imported: the context
// alone is taken from its file, so nothing that talks to GitHub is loaded unless a step needs it.
export { Context } from '../../node_modules/@actions/github/lib/context.js'
