/**
 * Which messages of one room this client has, by seq. Seqs are gap-free per room, but a resume's
 * replay may deliver older messages after newer live ones (docs/protocol.md, choice 12), so
 * "seen" is a contiguous watermark plus the seqs seen above it, not just the highest one.
 */
export class SeenSeqs {
  private contiguous: number;
  private readonly above = new Set<number>();

  /** @param upTo every seq up to this one counts as had (the room's seq at the welcome) */
  constructor(upTo: number) {
    this.contiguous = upTo;
  }

  /** Records a seq; false if it was had already (a duplicate, to be dropped). */
  add(seq: number): boolean {
    if (seq <= this.contiguous || this.above.has(seq)) {
      return false;
    }
    this.above.add(seq);
    while (this.above.delete(this.contiguous + 1)) {
      this.contiguous++;
    }
    return true;
  }

  /** Every seq up to this one is had: what to resume after. */
  get watermark(): number {
    return this.contiguous;
  }
}
