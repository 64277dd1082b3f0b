import type { Task } from '../state/task.js';
import { removeFrom } from './tasklist.js';

/**
 * Tasks inside `do_exit` (PF_EXITING) while the event that kills them is being applied. The mark
 * lives only for the duration of one doExit call stack: signals to such a task are dropped and it
 * is not killed twice when exit processing nests (an orphaned pgrp's SIGHUP killing members while
 * another task exits). Not part of the state: it is always empty between events. A list, not a
 * WeakSet: it holds only the exits currently nested (usually none or one), and every signal asks.
 */
const exiting: Task[] = [];

export const isExiting = (t: Task): boolean => exiting.includes(t);
export const markExiting = (t: Task): void => void exiting.push(t);

export const clearExiting = (t: Task): void => removeFrom(exiting, t);
