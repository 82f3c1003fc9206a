/** A name (a subject's, a label) made safe as one path component: anything but [A-Za-z0-9._-] becomes `_`. */
export function safeFileName(name: string): string {
  return name.replace(/[^A-Za-z0-9._-]/g, '_');
}
