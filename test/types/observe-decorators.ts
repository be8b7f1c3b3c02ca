// Type-checked by `npm run typecheck` (tsc -p .), never run: Vitest's transform does not lower TC39
// decorators. The README's decorator examples, as a user with TypeScript 5 writes them, must compile.
import { observe } from "spanwise/node";

export class Agent {
  prefix = "found: ";

  @observe({ kind: "tool" })
  async lookup(id: string): Promise<string> {
    return this.prefix + id;
  }

  @observe
  async plan(): Promise<number> {
    return 1;
  }

  @observe({ kind: "tool" })
  fetchUser = async (id: string): Promise<string> => `user ${id}`;

  @observe
  get label(): string {
    return this.prefix;
  }

  @observe
  set label(value: string) {
    this.prefix = value;
  }

  @observe
  limit = 5;
}

const agent = new Agent();
export const typed: [Promise<string>, Promise<number>, Promise<string>, string, number] = [agent.lookup("1"), agent.plan(), agent.fetchUser("2"), agent.label, agent.limit];
