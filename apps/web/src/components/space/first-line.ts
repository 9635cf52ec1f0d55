/** The description's first line without Markdown syntax (links keep their text), for a one-line summary. */
export function firstLine(markdown: string): string {
  const line = markdown.split('\n').find((l) => l.trim()) ?? '';
  return line
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/^[#>*\-\s]+/, '')
    .replace(/[*_`]/g, '')
    .slice(0, 140);
}
