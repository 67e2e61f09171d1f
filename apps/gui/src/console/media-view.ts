import { element } from '../shared/dom';
import { linkified } from '../shared/linkify';
import { CONSOLE_TEXT } from './console-text';
import { fileSize, mediaLine, type MediaLine } from './media-line';

/**
 * A console line's text as nodes: a WhatsApp image as a thumbnail that opens the full image, any
 * other medium as a link saying its kind, type and size, everything else as linkified text.
 */
export function consoleLineText(text: string, serverUrl: string): Node[] {
  const media = mediaLine(text, serverUrl);
  if (!media) return linkified(text);
  const caption = media.caption
    ? [element('span', { class: 'media-caption' }, ...linkified(media.caption))]
    : [];
  return [media.isImage ? thumbnail(media) : fileLink(media), ...caption];
}

function thumbnail(media: MediaLine): HTMLElement {
  const image = element('img', {
    class: 'media-thumbnail',
    src: media.url,
    alt: CONSOLE_TEXT.imageAlt(media.caption),
    loading: 'lazy',
  });
  return element(
    'a',
    {
      class: 'media media--image',
      href: media.url,
      target: '_blank',
      rel: 'noopener noreferrer',
      title: CONSOLE_TEXT.openImage,
    },
    image,
  );
}

function fileLink(media: MediaLine): HTMLElement {
  const label = element('span', {}, CONSOLE_TEXT.mediaFile(media.mediaType, null, null));
  const link = element(
    'a',
    { class: 'media media--file', href: media.url, target: '_blank', rel: 'noopener noreferrer' },
    label,
  );
  // The type and size come from the server that stores the file (a HEAD request, no download).
  void fetch(media.url, { method: 'HEAD' })
    .then((response) => {
      if (!response.ok) return;
      const length = Number(response.headers.get('content-length'));
      label.textContent = CONSOLE_TEXT.mediaFile(
        media.mediaType,
        response.headers.get('content-type'),
        Number.isFinite(length) && length > 0 ? fileSize(length) : null,
      );
    })
    .catch(() => undefined);
  return link;
}
