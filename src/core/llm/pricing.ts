/** Prices of one model in US dollars per million tokens. */
export interface ModelPrice {
  input: number;
  output: number;
  /** Cached input read (OpenAI cached tokens, Anthropic cache reads, Gemini context cache). Default: `input`. */
  cacheRead?: number;
  /** Input written to a cache (Anthropic cache creation; for Anthropic, the five-minute cache). Default: `input`. */
  cacheWrite?: number;
  /** Input written to Anthropic's one-hour cache (`cache_control.ttl: "1h"`). Default: twice `input`, Anthropic's rate. */
  cacheWrite1h?: number;
}

/**
 * The `pricing` option: model names (a `*` matches any run of characters, so `"my-ft-*"` prices
 * every fine-tune) mapped to prices, or a list of `{ model, ...price }` where `model` may be a
 * regular expression. Entries win over the built-in table.
 */
export type PricingOption = Readonly<Record<string, ModelPrice>> | readonly (ModelPrice & { model: string | RegExp })[];

/**
 * When the built-in prices were last checked against the providers' price lists (standard tier,
 * prompts under any long-context threshold). Override with the `pricing` option when they change.
 */
export const PRICES_AS_OF = "2026-11-21";

// [input, output, cacheRead, cacheWrite] per million tokens. Keys are base names: dated suffixes
// (-2024-08-06, -20250514, -001, -latest, -preview) are stripped before lookup. A missing cache
// price falls back to the input price.
//
// Checked 2026-11-21. Where no source could confirm a row, it is kept as it was (2025-08-15) and
// marked "unconfirmed". Sources:
// - OpenAI: developers.openai.com/api/docs/pricing as transcribed by
//   raw.githubusercontent.com/api-evangelist/openai/refs/heads/main/plans/openai-plans-pricing.yml
//   (GPT-5.4 family, read 2026-05-04) and benchlm.ai/blog/posts/openai-api-pricing (GPT-5.1,
//   GPT-5.2); each agrees with the Priority prices on openai.com/api-priority-processing/ at
//   twice the standard rate. GPT-4.1 and embeddings: tokenmath.io/openai-api-pricing-explained
//   (checked 2026-06-21); o3, o4-mini, GPT-5 family: deploybase.ai/articles/openai-pricing
//   (2026-03). GPT-5.5 is left out: its reported prices disagree between sources.
// - Anthropic: platform.claude.com/docs/en/about-claude/pricing and the model pages
//   platform.claude.com/docs/zh-CN/models/{opus-5,opus-5-5,sonnet-5,sonnet-5-5}/overview.
//   Sonnet 5.5 cache reads: $0.10 since 2026-10-07 (github.com/kurofune/claudit/releases/tag/v1.9.2,
//   checked against the live page 2026-10-24; the model page snapshot still showed $0.20).
//   Haiku 5.5: prompts up to 100k tokens (same release notes). Fable and Mythos are left out:
//   their API model ids could not be confirmed.
// - Google: ai.google.dev/gemini-api/docs/pricing as transcribed on 2026-10-07 by
//   raw.githubusercontent.com/api-evangelist/deepmind/refs/heads/main/plans/deepmind-plans-pricing.yml
//   (Gemini 3.x rows; 2.5 Pro input, 2.5 Flash input, 2.5 Flash-Lite output). Gemini 3.8 Flash is
//   $0.75 / $3.75 through 2026-12-31 and $1.50 / $7.50 from 2027-01-01.
// - Mistral: no current price list could be read; every Mistral row is unconfirmed.
//   `mistral-medium-latest` may now name Mistral Medium 3.5 (reported at $1.5 / $7.5); price it
//   with the `pricing` option if so.
const TABLE: Record<string, readonly [number, number, number?, number?]> = {
  // OpenAI
  "gpt-5.4": [2.5, 15, 0.25],
  "gpt-5.4-mini": [0.75, 4.5, 0.075],
  "gpt-5.4-nano": [0.2, 1.25, 0.02],
  "gpt-5.2": [1.75, 14, 0.175],
  "gpt-5.1": [1.25, 10, 0.125],
  "gpt-5": [1.25, 10, 0.125],
  "gpt-5-mini": [0.25, 2, 0.025],
  "gpt-5-nano": [0.05, 0.4, 0.005],
  "gpt-5-chat": [1.25, 10, 0.125], // unconfirmed
  "gpt-4.1": [2, 8, 0.5],
  "gpt-4.1-mini": [0.4, 1.6, 0.1],
  "gpt-4.1-nano": [0.1, 0.4, 0.025],
  "gpt-4o": [2.5, 10, 1.25],
  "gpt-4o-mini": [0.15, 0.6, 0.075],
  "chatgpt-4o": [5, 15], // unconfirmed
  "gpt-4-turbo": [10, 30], // unconfirmed
  // GPT-4 Turbo's preview names: stripped of "-preview" and the date they would be priced as GPT-4.
  "gpt-4-turbo-preview": [10, 30], // unconfirmed
  "gpt-4-1106-preview": [10, 30], // unconfirmed
  "gpt-4-0125-preview": [10, 30], // unconfirmed
  "gpt-4-vision-preview": [10, 30], // unconfirmed
  "gpt-4": [30, 60], // unconfirmed
  "gpt-3.5-turbo": [0.5, 1.5],
  o1: [15, 60, 7.5],
  "o1-mini": [1.1, 4.4, 0.55], // unconfirmed
  o3: [2, 8, 0.5],
  "o3-mini": [1.1, 4.4, 0.55],
  "o3-pro": [20, 80], // unconfirmed
  "o4-mini": [1.1, 4.4, 0.275],
  "text-embedding-3-small": [0.02, 0],
  "text-embedding-3-large": [0.13, 0],
  "text-embedding-ada-002": [0.1, 0], // unconfirmed
  // Anthropic (cache write: 5-minute TTL, 1.25 times input; a one-hour write costs twice input,
  // computeCost's default for cacheWrite1h)
  "claude-opus-5-5": [4, 20, 0.2, 5],
  "claude-opus-5": [5, 25, 0.5, 6.25],
  "claude-opus-4-8": [5, 25, 0.5, 6.25],
  "claude-opus-4-7": [5, 25, 0.5, 6.25],
  "claude-opus-4-6": [5, 25, 0.5, 6.25],
  "claude-opus-4-5": [5, 25, 0.5, 6.25],
  "claude-opus-4-1": [15, 75, 1.5, 18.75],
  "claude-opus-4": [15, 75, 1.5, 18.75],
  "claude-sonnet-5-5": [2, 10, 0.1, 2.5],
  "claude-sonnet-5": [2, 10, 0.2, 2.5],
  "claude-sonnet-4-6": [3, 15, 0.3, 3.75],
  "claude-sonnet-4-5": [3, 15, 0.3, 3.75],
  "claude-sonnet-4": [3, 15, 0.3, 3.75],
  "claude-3-7-sonnet": [3, 15, 0.3, 3.75],
  "claude-3-5-sonnet": [3, 15, 0.3, 3.75], // unconfirmed (retired)
  "claude-haiku-5-5": [0.1, 0.5, 0.01, 0.125],
  "claude-haiku-4-5": [1, 5, 0.1, 1.25],
  "claude-3-5-haiku": [0.8, 4, 0.08, 1],
  "claude-3-haiku": [0.25, 1.25, 0.03, 0.3],
  "claude-3-opus": [15, 75, 1.5, 18.75],
  // Google Gemini (prompts up to 200k tokens)
  "gemini-3.8-flash": [0.75, 3.75],
  "gemini-3.5-flash": [1.5, 9],
  "gemini-3.5-flash-lite": [0.3, 2.5],
  "gemini-3.1-pro": [2, 12],
  "gemini-2.5-pro": [1.25, 10, 0.31], // output and cache unconfirmed
  "gemini-2.5-flash": [0.3, 2.5, 0.075], // output and cache unconfirmed
  "gemini-2.5-flash-lite": [0.1, 0.4, 0.025], // input and cache unconfirmed
  "gemini-2.0-flash": [0.1, 0.4, 0.025], // unconfirmed
  "gemini-2.0-flash-lite": [0.075, 0.3], // unconfirmed
  "gemini-1.5-pro": [1.25, 5], // unconfirmed (retired)
  "gemini-1.5-flash": [0.075, 0.3], // unconfirmed (retired)
  "gemini-embedding": [0.15, 0],
  "text-embedding-004": [0, 0], // unconfirmed
  // Mistral (all unconfirmed, see above)
  "mistral-large": [2, 6],
  "mistral-medium": [0.4, 2],
  "mistral-small": [0.1, 0.3],
  "magistral-medium": [2, 5],
  "magistral-small": [0.5, 1.5],
  codestral: [0.3, 0.9],
  "ministral-8b": [0.1, 0.1],
  "ministral-3b": [0.04, 0.04],
  "pixtral-large": [2, 6],
  "open-mistral-nemo": [0.15, 0.15],
  "mistral-embed": [0.1, 0],
};

const SUFFIXES = [/-\d{4}-\d{2}-\d{2}$/, /-\d{8}$/, /-\d{4}$/, /-\d{3}$/, /-latest$/, /-preview(-[\w-]+)?$/, /-exp(-[\w-]+)?$/];

/** A price lookup built once from the `pricing` option: by the model that answered, and the one asked for. */
export type PriceLookup = (model: string, requested?: string) => ModelPrice | undefined;

/**
 * Builds the lookup: user entries first (exact, then patterns in the order given), for the
 * model that answered and then without its date or version suffix (`gpt-4o` prices the
 * `gpt-4o-2024-08-06` a provider answers with), then for the model asked for (a gateway's alias,
 * an Azure deployment); then the built-in table by exact name, then with a provider prefix
 * (`openai/`, `models/`) and dated suffixes stripped, for either.
 *
 * @param pricing - the `pricing` option, if any
 * @returns a function from model name (and the name asked for) to price, undefined when unknown
 * @example
 * createPriceLookup({ "my-ft-*": { input: 3, output: 12 } })("my-ft-2025")
 */
export function createPriceLookup(pricing?: PricingOption): PriceLookup {
  const exact = new Map<string, ModelPrice>();
  const patterns: [RegExp, ModelPrice][] = [];
  const add = (model: string | RegExp, price: ModelPrice): void => {
    if (model instanceof RegExp) patterns.push([model, price]);
    else if (model.includes("*")) patterns.push([globToRegExp(model), price]);
    else exact.set(model, price);
  };
  if (Array.isArray(pricing)) for (const { model, ...price } of pricing as readonly (ModelPrice & { model: string | RegExp })[]) add(model, price);
  else if (pricing) for (const [model, price] of Object.entries(pricing as Record<string, ModelPrice>)) add(model, price);
  const user = (model: string): ModelPrice | undefined => {
    if (exact.size === 0 && patterns.length === 0) return undefined;
    for (let name = model, i = 0; i < 3; i++) {
      const found = exact.get(name) ?? patterns.find(([re]) => ((re.lastIndex = 0), re.test(name)))?.[1];
      if (found) return found;
      const stripped = SUFFIXES.reduce((n, re) => n.replace(re, ""), name);
      if (stripped === name) break;
      name = stripped;
    }
    return undefined;
  };
  const cache = new Map<string, ModelPrice | null>();
  return (model, requested) => {
    const asked = requested !== undefined && requested !== model ? requested : undefined;
    const key = asked === undefined ? model : `${model}\n${asked}`;
    const hit = cache.get(key);
    if (hit !== undefined) return hit ?? undefined;
    const found = user(model) ?? (asked !== undefined ? user(asked) : undefined) ?? builtin(model) ?? (asked !== undefined ? builtin(asked) : undefined);
    if (cache.size < 1000) cache.set(key, found ?? null);
    return found;
  };
}

function builtin(model: string): ModelPrice | undefined {
  let name = model.toLowerCase();
  const slash = name.lastIndexOf("/");
  if (slash >= 0) name = name.slice(slash + 1);
  name = name.replace(/^@cf\//, "").replace(/:.*$/, "");
  for (let i = 0; i < 3; i++) {
    // Own rows only: a model called "constructor" must not find Object's.
    const row = Object.hasOwn(TABLE, name) ? TABLE[name] : undefined;
    if (row) return { input: row[0], output: row[1], cacheRead: row[2] ?? row[0], cacheWrite: row[3] ?? row[0] };
    const stripped = SUFFIXES.reduce((n, re) => n.replace(re, ""), name);
    if (stripped === name) break;
    name = stripped;
  }
  return undefined;
}

function globToRegExp(glob: string): RegExp {
  return new RegExp(`^${glob.split("*").map((s) => s.replace(/[.+?^${}()|[\]\\]/g, "\\$&")).join(".*")}$`);
}
