import type { Command } from "./command.js";
import { check } from "./commands/check.js";
import { dev } from "./commands/dev.js";
import { doctor } from "./commands/doctor.js";
import { init } from "./commands/init.js";

/** Every `spanwise` command, in the order `spanwise --help` lists them. */
export const COMMANDS: readonly Command[] = [init, doctor, check, dev];
