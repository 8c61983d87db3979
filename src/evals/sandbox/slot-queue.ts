/**
 * A fixed set of numbered slots handed out first come, first served. A slot is a worker's
 * identity (its uid when running as root), so two concurrent tasks never share one.
 */
export class SlotQueue {
  private readonly free: number[];
  private readonly waiting: Array<(slot: number) => void> = [];

  constructor(size: number) {
    this.free = Array.from({ length: size }, (_, index) => index);
  }

  acquire(): Promise<number> {
    const slot = this.free.shift();
    if (slot !== undefined) return Promise.resolve(slot);
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  release(slot: number): void {
    const next = this.waiting.shift();
    if (next) next(slot);
    else this.free.push(slot);
  }
}
