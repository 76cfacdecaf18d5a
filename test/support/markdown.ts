import { Marked } from 'marked';

/**
 * A tooltip as VS Code's hover renders it: Markdown through marked (the renderer the workbench ships), raw
 * HTML dropped as the workbench does when supportHtml is off.
 */
const hover = new Marked({ gfm: true, renderer: { html: () => '' } });

export function renderMarkdown(markdown: string): string {
  return hover.parse(markdown, { async: false });
}

/** The text a reader sees: tags removed, entities decoded, paragraphs on lines of their own. */
export function renderedText(markdown: string): string {
  return renderMarkdown(markdown)
    .replace(/<\/(p|li|h\d)>/g, '\n')
    .replace(/<[^>]*>/g, '')
    .replace(/&(lt|gt|quot|#39|amp);/g, (_, entity: string) => ({ lt: '<', gt: '>', quot: '"', '#39': "'", amp: '&' })[entity] as string)
    .replace(/\n{2,}/g, '\n')
    .trim();
}

/** The tags a tree model's own Markdown makes (paragraphs, bold headings, lists); anything else came from data. */
const OWN_TAGS = /<(?!\/?(p|strong|ul|li)>)[a-z][^>]*>/i;

/**
 * Checks that every tooltip of the tree (children included) renders nothing but the model's own markup, apart
 * from links matching `allowed`; returns each tooltip's rendered text by node id.
 */
export function inertTooltips(nodes: readonly { id: string; tooltip?: string; children?: readonly unknown[] }[], allowed?: RegExp): Map<string, string> {
  const texts = new Map<string, string>();
  const visit = (node: (typeof nodes)[number]) => {
    if (node.tooltip !== undefined) {
      const html = renderMarkdown(node.tooltip);
      const foreign = OWN_TAGS.exec(allowed ? html.replace(allowed, '') : html);
      if (foreign) throw new Error(`tooltip of ${node.id} renders ${foreign[0]}: ${html}`);
      texts.set(node.id, renderedText(node.tooltip));
    }
    for (const child of (node.children ?? []) as (typeof nodes)[number][]) visit(child);
  };
  nodes.forEach(visit);
  return texts;
}
