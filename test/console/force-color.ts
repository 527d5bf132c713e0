// Imported first by the helpers, before chalk loads: frames keep inverse/bold/colour codes so
// tests can see the selected row and the red error rows. frame() strips them for text checks.
process.env.FORCE_COLOR = '1';
