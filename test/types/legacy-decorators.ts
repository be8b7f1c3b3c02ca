// Type-checked with experimentalDecorators by test/core/observe.test.ts (the project's own
// tsconfig uses TypeScript 5 decorators): @observe as NestJS and Angular users write it.
import { observe } from "spanwise/node";

export class Agent {
  @observe({ kind: "tool" })
  async lookup(id: string): Promise<string> {
    return id;
  }

  @observe
  plan(step: number): number {
    return step;
  }

  @observe
  get size(): number {
    return 1;
  }

  @observe
  static create(): Agent {
    return new Agent();
  }

  @observe({ kind: "tool" })
  limit = 5;
}
