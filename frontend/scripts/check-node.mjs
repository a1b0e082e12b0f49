// Run by Maven before the frontend build: a clear message instead of an obscure Vite failure.
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 20 || (major === 20 && minor < 19)) {
  console.error(`Parley's web frontend needs Node.js 20.19 or newer (Vite 7); this is ${process.version}.`
    + ' Install a newer Node.js, or build without the page: ./mvnw -Dskip.frontend ...');
  process.exit(1);
}
