/** A file name as quoted in a message: its last path part, at most 80 characters. */
export function shownName(name: string): string {
  const last = name.split(/[\\/]/).pop() ?? name;
  return last.length > 80 ? `${last.slice(0, 79)}…` : last;
}
