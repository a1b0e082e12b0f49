/**
 * Room names as the contract spells them: a conversation is `@` and its people's names, lowercase,
 * sorted and joined by `+` (PROTOCOL.md, "Private conversations").
 */

export function isConversation(room: string): boolean {
  return room.startsWith('@');
}

export function conversationName(people: string[]): string {
  const names = [...new Set(people.map(name => name.toLowerCase()))].sort();
  return `@${names.join('+')}`;
}

/** The people of a conversation other than me, as the sidebar names it: "bob", "bob, carol". */
export function conversationTitle(room: string, me: string): string {
  const others = room.slice(1).split('+').filter(name => name !== me.toLowerCase());
  return others.length === 0 ? me : others.join(', ');
}
