// `npm start` runs this first: a checkout where `npm install` skipped its scripts still serves the app.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const index = fileURLToPath(new URL('../dist/web/index.html', import.meta.url));
if (!existsSync(index)) {
  console.log('dist/web is missing: building the web app once (npm run build:web)…');
  execFileSync('npm', ['run', 'build:web'], { stdio: 'inherit' });
}
