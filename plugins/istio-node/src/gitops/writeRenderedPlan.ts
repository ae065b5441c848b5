import { mkdir, rm, writeFile } from 'node:fs/promises';
import { dirname, resolve, sep } from 'node:path';
import { RenderedPlan } from './renderPlan';

/**
 * Writes a rendered plan into a directory (the scaffolder workspace):
 * creates or replaces each file, removes the files of deleted objects.
 * Refuses paths that would leave the directory.
 *
 * @public
 */
export async function writeRenderedPlan(
  root: string,
  rendered: RenderedPlan,
): Promise<void> {
  const base = resolve(root);
  const inside = (path: string) => {
    const target = resolve(base, path);
    if (!target.startsWith(base + sep)) {
      throw new Error(`Refusing to write outside the workspace: ${path}`);
    }
    return target;
  };
  for (const file of rendered.files) {
    const target = inside(file.path);
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, file.content, 'utf8');
  }
  for (const path of rendered.removed) {
    await rm(inside(path), { force: true });
  }
}
