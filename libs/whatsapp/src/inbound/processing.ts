/** What became of one inbox row: processed, never processable (dead letter), or worth another try later. */
export type Processing =
  | { readonly outcome: 'done' }
  | { readonly outcome: 'dead-letter'; readonly reason: string }
  | { readonly outcome: 'retry'; readonly reason: string };
