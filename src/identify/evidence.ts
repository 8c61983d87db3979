/** One row of the evidence table every pass contributes to: what was seen and how much it counts. */
export interface EvidenceRow {
  pass: 'passive' | 'tokenizer' | 'behaviour' | 'reference';
  signal: string;
  value: string;
  /** How much the verdict leans on it: `decisive` is reserved for the tokenizer fit. */
  weight: 'none' | 'low' | 'medium' | 'decisive';
  note?: string;
}
