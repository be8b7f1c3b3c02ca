/** Raised when one request holds more spans, or more decoded elements, than the viewer takes. */
export class TooManyElementsError extends Error {
  override name = "TooManyElementsError";
}

/**
 * What one request may decode into: at most `maxSpans` spans (valid or not) and `maxElements`
 * objects (spans, events, links, attributes, array items). A few bytes of protobuf or JSON
 * become an object of a hundred bytes or more, so a body within the byte limit could still fill
 * the heap and hold the event loop; the budget bounds that by the body's size.
 *
 * @example
 * const budget = new ElementBudget(200_000, maxBodyBytes / 8);
 * budget.span(); // throws TooManyElementsError past the limit
 */
export class ElementBudget {
  #spans = 0;
  #elements = 0;
  constructor(
    readonly maxSpans: number,
    readonly maxElements: number,
  ) {}

  /** Counts one span (an element too). */
  span(): void {
    if (++this.#spans > this.maxSpans) throw new TooManyElementsError(`the request holds more than ${this.maxSpans} spans; send smaller batches`);
    this.element();
  }

  /** Counts `n` decoded elements. */
  element(n = 1): void {
    this.#elements += n;
    if (this.#elements > this.maxElements) throw new TooManyElementsError(`the request decodes to more than ${this.maxElements} elements (spans, events, links, attributes) for its size limit; send smaller batches`);
  }
}
