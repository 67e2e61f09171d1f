import { fileSize, mediaLine } from './media-line';

const NAME = '0123456789abcdef0123456789abcdef';

describe('mediaLine', () => {
  it("reads a customer's image with its caption, moving a loopback link to the console's server", () => {
    expect(
      mediaLine(
        `[image] my parcel http://127.0.0.1:3000/whatsapp/media/${NAME}.png`,
        'http://chat.example.com',
      ),
    ).toEqual({
      mediaType: 'image',
      caption: 'my parcel',
      url: `http://chat.example.com/whatsapp/media/${NAME}.png`,
      isImage: true,
    });
  });

  it('keeps a link on a public address, and reads a medium without a caption', () => {
    expect(
      mediaLine(`[document] https://media.example.com/whatsapp/media/${NAME}.pdf`, 'http://localhost:3000'),
    ).toEqual({
      mediaType: 'document',
      caption: '',
      url: `https://media.example.com/whatsapp/media/${NAME}.pdf`,
      isImage: false,
    });
  });

  it("reads an agent's attachment by stored name or by link, on the console's server", () => {
    const expected = {
      mediaType: 'audio',
      caption: 'listen',
      url: `https://lb.example.com/whatsapp/media/${NAME}.ogg`,
      isImage: false,
    };
    expect(mediaLine(`/attach ${NAME}.ogg listen`, 'https://lb.example.com')).toEqual(expected);
    expect(
      mediaLine(`/attach http://127.0.0.1:3000/whatsapp/media/${NAME}.ogg listen`, 'https://lb.example.com'),
    ).toEqual(expected);
    expect(mediaLine(`/attach ${NAME}.jpg`, 'https://lb.example.com')).toMatchObject({
      mediaType: 'image',
      caption: '',
      isImage: true,
    });
  });

  it.each([
    'hello',
    '[image] (not downloaded: 404)',
    `[image] http://127.0.0.1/whatsapp/media/../../etc/passwd`,
    `[image] http://127.0.0.1/other/${NAME}.png`,
    `/attach ${NAME}.exe`,
    `see /attach ${NAME}.png`,
  ])('leaves %s as text', (text) => {
    expect(mediaLine(text, 'http://localhost')).toBeNull();
  });
});

describe('fileSize', () => {
  it.each([
    [512, '512 B'],
    [2048, '2 KB'],
    [3.5 * 1024 * 1024, '3.5 MB'],
  ])('%i bytes read %s', (bytes, text) => expect(fileSize(bytes)).toBe(text));
});
