// Credentials in a URL (http://user:password@host) never appear in a message: the password is
// replaced by ***, wherever in the text such a URL occurs.

export function redactUrl(text: string): string {
  return text.replace(/([a-z][a-z0-9+.-]*:\/\/[^\s/@:]*):[^\s/@]*@/gi, '$1:***@');
}
