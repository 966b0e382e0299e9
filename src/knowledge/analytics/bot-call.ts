// How one call went with the voice FAQ bot, as entries of its trail come by: a bot call at all,
// handed to people (a handoff, or the queue / an agent after the bot), contained (it said goodbye,
// or the caller's last word was "that helped"), or neither. Knowledge analytics and the reports'
// rollups both fold trails with it, so the two count containment the same way.

export type BotOutcome = 'contained' | 'handed-off' | 'unresolved';

export class BotCall {
  #bot = false;
  #handedOff = false;
  #done = false;
  #lastHelped = false;

  /** The bot took a turn (a question, or a turn without one). */
  turn(): void {
    this.#bot = true;
    this.#lastHelped = false;
  }

  feedback(helped: boolean): void {
    this.#bot = true;
    this.#lastHelped = helped;
  }

  handoff(): void {
    this.#bot = true;
    this.#handedOff = true;
  }

  done(): void {
    this.#bot = true;
    this.#done = true;
  }

  /** The call joined a queue or reached an agent: after the bot, that is a handoff. */
  reachedPeople(): void {
    if (this.#bot) this.#handedOff = true;
  }

  get isBotCall(): boolean {
    return this.#bot;
  }

  /** Undefined when the call never met the bot. */
  outcome(): BotOutcome | undefined {
    if (!this.#bot) return undefined;
    return this.#handedOff ? 'handed-off' : this.#done || this.#lastHelped ? 'contained' : 'unresolved';
  }
}
