/** The BullMQ queue of a task's evaluation jobs (BullMQ refuses `:` in queue names). */
export function queueNameOf(task: string): string {
  return `evaluate.${task.replace(/[^\w.-]/g, '_')}`;
}
