/** ['contact.name'] → '{{contact.name}}', for messages that list variables (templates cannot hold "}}"). */
export function variableList(names: string[]): string {
  return names.map((n) => `{{${n}}}`).join(', ')
}
