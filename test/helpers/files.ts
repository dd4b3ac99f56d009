import { readdirSync } from 'node:fs';
import path from 'node:path';

/** Every regular file under `dir`, depth first, in directory order. */
export function filesUnder(dir: string, out: string[] = []): string[] {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const abs = path.join(dir, e.name);
    if (e.isDirectory()) filesUnder(abs, out);
    else if (e.isFile()) out.push(abs);
  }
  return out;
}
