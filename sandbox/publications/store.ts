// In-memory publications (install pages) of every organization, and the rules that span them: slugs and URLs.
import type { StoredPublication } from './types.js'

export interface PublicationRecord {
  organizationId: string
  /** '' when made through the Integrations API while the organization had no store: in no store's list. */
  storeId: string
  /** Insertion order, to break createdAt ties. */
  order: number
  pub: StoredPublication
}

export type PublicAnswer = Omit<StoredPublication, 'password'>

export class Publications {
  private records: PublicationRecord[] = []
  private order = 0

  /** Oldest first (createdAt, then insertion order). The live records: callers copy. */
  all(): PublicationRecord[] {
    return [...this.records].sort((a, b) => Date.parse(a.pub.createdAt) - Date.parse(b.pub.createdAt) || a.order - b.order)
  }

  find(id: string): PublicationRecord | undefined {
    return this.records.find((r) => r.pub.id === id)
  }

  /** The oldest publication with that slug: slugs are unique per organization, and an install URL names none. */
  bySlug(slug: string): PublicationRecord | undefined {
    return this.all().find((r) => r.pub.slug === slug)
  }

  /** Whether another publication of the organization (any app, any store, either API) has the slug. */
  slugTaken(organizationId: string, slug: string, exceptId?: string): boolean {
    return this.records.some((r) => r.organizationId === organizationId && r.pub.slug === slug && r.pub.id !== exceptId)
  }

  add(organizationId: string, storeId: string, pub: StoredPublication): PublicationRecord {
    const rec = { organizationId, storeId, order: this.order++, pub }
    this.records.push(rec)
    return rec
  }

  remove(id: string): void {
    this.records = this.records.filter((r) => r.pub.id !== id)
  }

  clear(): void {
    this.records = []
  }
}

/** What the API answers of a publication: a copy, never the password. */
export function publicAnswer(pub: StoredPublication): PublicAnswer {
  const copy = structuredClone(pub)
  delete copy.password
  return copy
}

/** The sandbox's install page of a slug, served by the API host itself. */
export function installUrl(apiUrl: string, slug: string): string {
  return `${apiUrl}/install/${encodeURIComponent(slug)}`
}
