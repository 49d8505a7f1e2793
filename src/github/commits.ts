// A repository's history through GitHub's compare API, for release notes when the checkout lacks the commits.

export interface CommitHistory {
  /** The subjects of the commits after `base` up to `head`, oldest first; `owner/name` is the repository. */
  subjectsBetween(repository: string, base: string, head: string): Promise<string[]>
}
