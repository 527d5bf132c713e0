// The console's frame: rows − 1 lines (tab bar, crumbs, the pane, status line, footer).
export const minColumns = 80;
export const minRows = 24;

export function heights(rows: number): {frameHeight: number; bodyHeight: number} {
  const frameHeight = Math.max(1, rows - 1);
  return {frameHeight, bodyHeight: Math.max(1, frameHeight - 4)};
}
