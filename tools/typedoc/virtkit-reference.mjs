/**
 * A TypeDoc plugin for docs/reference: names each module after its package (`@virtkit/core`)
 * instead of the path TypeDoc derives from its entry point (`core/src`), and renders types from
 * outside the workspace (TypeScript's lib, Node's) as plain text, so no link leaves the repo.
 */
import { Converter, ReflectionKind } from 'typedoc';
import { MarkdownPageEvent } from 'typedoc-plugin-markdown';

const EXTERNAL_LINK = /\[([^\]]+)\]\(https?:\/\/[^)]*\)/g;

export function load(app) {
  app.converter.on(Converter.EVENT_RESOLVE_BEGIN, (context) => {
    for (const mod of context.project.getReflectionsByKind(ReflectionKind.Module)) {
      mod.name = `@virtkit/${mod.name.split('/')[0]}`;
    }
  });
  app.renderer.on(MarkdownPageEvent.END, (page) => {
    page.contents = page.contents?.replace(EXTERNAL_LINK, '$1');
  });
}
