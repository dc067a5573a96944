import { checkbox, confirm, input, select } from '@inquirer/prompts';
import { formatIssues, validateAnswers, type AnswersInput, type Platform } from '@platform-kit/config';
import { valueAt } from './answers';
import { answerPath, checkAnswer, CUSTOMIZE, GROUPS, listOf, QUESTIONS, withAnswer, withListExplicit, type Group, type ListAnswer, type Question } from './questions';
import { style } from './style';

type Draft = Record<string, unknown>;

export interface WizardOptions {
  /** Answers from flags: their questions are not asked. */
  readonly given: AnswersInput;
  /** The platform name's default (the target directory's name). */
  readonly nameDefault?: string;
  /** Extra check of the name, e.g. that its default directory is free. A message when it is not. */
  readonly checkName?: (name: string) => string | undefined;
  readonly write: (line: string) => void;
  /** Called with the answers so far after each one: create-platform keeps them if it cannot go on. */
  readonly answered?: (answers: AnswersInput) => void;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/**
 * The platform the answers so far resolve to: every default applied. Each answer is checked with all the others
 * (checkAnswer), so the answers stay valid as they grow; if they ever do not, the message lists why, and
 * create-platform keeps the answers in a file.
 */
function resolveDraft(draft: Draft): Platform {
  const result = validateAnswers(draft);
  if (!result.ok) throw new Error(`the answers so far do not validate together:\n${formatIssues(result.issues)}`);
  return result.platform;
}

/**
 * Asks every question whose answer was not given, group by group, and returns the answers. An answer is
 * recorded only where it differs from its default (or the question is `always`: the name and the
 * placeholders), so that accepting every default gives the answers of `--yes` with those given as flags, and
 * derived defaults (the repository name from the platform name, say) stay derived in `.projenrc.ts`.
 * Ctrl-C rejects with @inquirer's ExitPromptError.
 */
export async function runWizard(options: WizardOptions): Promise<AnswersInput> {
  const given = options.given as Draft;
  let draft: Draft = structuredClone(given);
  if (draft.name === undefined && options.nameDefault !== undefined && checkAnswer(draft, ['name'], options.nameDefault) === true)
    draft.name = options.nameDefault;
  let group: Group | undefined;

  const askOne = async (question: Question, entry = 0, entryName?: string) => {
    if (question.when && !question.when(resolveDraft(draft), entry)) return;
    const path = answerPath(question, entry);
    const message = entryName ? `${entryName}: ${question.message}` : question.message;
    const givenValue = valueAt(given, path);
    if (givenValue !== undefined && !question.fields) {
      const choice = question.kind === 'select' ? question.choices?.(resolveDraft(draft), entry).find((c) => same(c.value, givenValue)) : undefined;
      options.write(`${style('green', '✔')} ${style('bold', message)} ${style('cyan', choice?.name ?? show(question, givenValue))} ${style('dim', '(given)')}`);
      return;
    }
    const current = question.current(resolveDraft(draft), entry);
    const value = await ask(question, message, path, entry, draft, current, question.field === 'name' ? options.checkName : undefined);
    draft = record(draft, question, path, value, current);
    options.answered?.(draft as AnswersInput);
  };

  for (const block of questionBlocks()) {
    if (block.group !== group) {
      group = block.group;
      options.write('');
      options.write(style('bold', GROUPS[group]));
    }
    if (!block.list) {
      for (const question of block.questions) await askOne(question);
      continue;
    }
    // A gate asked once for the list: its answer, asked at the first entry.
    const once = new Map<string, boolean>();
    const customize = async (question: Question, entryName: string): Promise<boolean> => {
      const gate = CUSTOMIZE[question.field];
      if (gate === undefined) return true;
      if (typeof gate === 'function') return yesNo(gate(entryName));
      if (!once.has(question.field)) once.set(question.field, await yesNo(gate));
      return once.get(question.field)!;
    };
    // Entry by entry: all of dev's settings, then all of prod's. A gate answered no skips the rest of the entry's.
    for (const [entry, { name }] of resolveDraft(draft)[block.list].entries())
      for (const question of block.questions) {
        if (!(await customize(question, name))) break;
        await askOne(question, entry, name);
      }
  }
  return draft as AnswersInput;
}

/** A customize gate: no unless the user says yes. */
function yesNo(message: string): Promise<boolean> {
  return confirm({ message, default: false, theme: { style: { message: (text: string) => style('bold', text) } } });
}

/** The questions in asking order, a list's entry questions together as one block. */
function questionBlocks(): { group: Group; list?: ListAnswer; questions: Question[] }[] {
  const blocks: { group: Group; list?: ListAnswer; questions: Question[] }[] = [];
  for (const question of QUESTIONS) {
    const list = listOf(question);
    const last = blocks[blocks.length - 1];
    if (list && last?.list === list) last.questions.push(question);
    else if (list) blocks.push({ group: question.group, list, questions: [question] });
    else blocks.push({ group: question.group, questions: [question] });
  }
  return blocks;
}

function show(question: Question, value: unknown): string {
  if (question.format) return question.format(value);
  return Array.isArray(value) ? value.join(', ') : String(value);
}

async function ask(
  question: Question,
  message: string,
  path: (string | number)[],
  entry: number,
  draft: Draft,
  current: unknown,
  extraCheck?: (text: string) => string | undefined,
): Promise<unknown> {
  const merge = question.fields !== undefined;
  const check = (value: unknown) => checkAnswer(draft, path, value, merge);
  const theme = {
    style: { message: (text: string, status: string) => (status === 'done' || !question.hint ? style('bold', text) : `${style('bold', text)} ${style('dim', `· ${question.hint}`)}`) },
  };
  const choices = question.choices?.(resolveDraft(draft), entry) ?? [];
  switch (question.kind) {
    case 'select':
      // A select cannot re-ask: a choice the schema refuses here is shown disabled, with its message.
      return select({
        message,
        choices: choices.map((c) => {
          const valid = same(c.value, current) || check(c.value);
          return valid === true ? { ...c } : { ...c, disabled: `(${valid})` };
        }),
        default: current,
        pageSize: 10,
        theme,
      });
    case 'multi': {
      // Keep the order of what was already chosen (the first instance type is the one the estimate prices), then
      // what was added, in the list's order: Enter on the default changes nothing.
      const keepOrder = (selected: readonly unknown[]) => [
        ...(current as unknown[]).filter((v) => selected.some((s) => same(s, v))),
        ...selected.filter((s) => !(current as unknown[]).some((v) => same(s, v))),
      ];
      const selected = await checkbox({
        message,
        choices: choices.map((c) => ({ ...c, checked: (current as unknown[]).includes(c.value) })),
        validate: (picked) => check(keepOrder(picked.map((c) => c.value))),
        pageSize: 12,
        theme,
      });
      return keepOrder(selected);
    }
    case 'text': {
      const parse = question.parse!;
      const text = await input({
        message,
        default: question.format!(current),
        theme,
        validate: (raw) => {
          try {
            const result = check(parse(raw));
            return result === true ? (extraCheck?.(raw.trim()) ?? true) : result;
          } catch (e) {
            return (e as Error).message;
          }
        },
      });
      return parse(text);
    }
  }
}

/** The answers with this one recorded, if it is not just the default. */
function record(draft: Draft, question: Question, path: (string | number)[], value: unknown, current: unknown): Draft {
  const changes: [(string | number)[], unknown][] = question.fields
    ? Object.entries(value as Draft)
        .filter(([key, v]) => !same(v, (current as Draft)[key]))
        .map(([key, v]) => [[...path, key], v])
    : question.always || !same(value, current)
      ? [[path, value]]
      : [];
  // The first setting of a list entry turns the list's default into an explicit list.
  return changes.reduce((next, [p, v]) => withAnswer(withListExplicit(next, p), p, v), draft);
}

/** Shows the summary and asks for the go-ahead. */
export async function confirmCreate(summary: readonly string[], write: (line: string) => void): Promise<boolean> {
  write('');
  for (const line of summary) write(line);
  write('');
  return confirm({ message: 'Create the platform?', default: true });
}
