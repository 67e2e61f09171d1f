import { Controller, Get, Header, Logger, Req, Res, type OnModuleInit } from '@nestjs/common';
import { ParameterService } from '@switchboard/config';
import type { Request, Response } from 'express';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** What `/gui/config.json` answers: where browsers load the script library and connect to. */
export interface GuiConfig {
  readonly scriptLibraryUrl: string;
  readonly serverBaseUrl: string;
  /** ACD.Chat.Line.MaxLength: the widget and the console check it before sending. */
  readonly lineMaxLength: number;
}

// Only plain names reach the disk: no dot segments, no dotfiles, no backslashes, no encoded tricks.
const SAFE_PATH = /^[A-Za-z0-9_-][A-Za-z0-9._-]*(\/[A-Za-z0-9_-][A-Za-z0-9._-]*)*$/;
// Source maps are not served (the build keeps them in dist/gui-maps).
const SERVED_EXTENSIONS = new Set(['.html', '.js', '.css', '.svg', '.png', '.ico', '.json', '.txt']);
/** The build writes a brotli (.br) and a gzip (.gz) copy of these; the one the browser accepts is sent. */
const COMPRESSED_EXTENSIONS = new Set(['.html', '.js', '.css', '.svg', '.json', '.txt']);
const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.json': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
};
// note: widget.js keeps one URL that sites embed, so nothing is hashed; a short max-age plus ETag
// revalidation lets a new release reach browsers within minutes.
const MAX_AGE_MS = 5 * 60 * 1000;

/**
 * Serves the browser apps built by `npm run build` (dist/gui: the visitor widget, the agent console
 * and a demo page) under `/gui/`, and `/gui/config.json` from the live parameters.
 */
@Controller('gui')
export class GuiController implements OnModuleInit {
  private readonly logger = new Logger('Gui');
  private readonly root = guiDirectory();

  constructor(private readonly parameters: ParameterService) {}

  onModuleInit(): void {
    if (!existsSync(this.root))
      this.logger.warn(`${this.root} is missing: run "npm run build" to serve /gui/`);
  }

  @Get('config.json')
  @Header('Cache-Control', 'no-cache')
  config(): GuiConfig {
    return {
      scriptLibraryUrl: this.parameters.get('ACD.Chat.Script.Library.URL'),
      serverBaseUrl: this.parameters.get('ACD.Chat.Server.Base.URL'),
      lineMaxLength: this.parameters.get('ACD.Chat.Line.MaxLength'),
    };
  }

  @Get(['', '*path'])
  file(@Req() request: Request, @Res() response: Response): void {
    // request.path stays percent-encoded, so an encoded dot or slash fails SAFE_PATH below.
    const path = request.path.replace(/^\/gui\/?/, '');
    if (path === '' || path.endsWith('/')) {
      // Relative links need the trailing slash; a relative redirect survives any proxy prefix.
      if (!request.path.endsWith('/')) return response.redirect(301, 'gui/');
      return this.send(request, response, `${path}index.html`);
    }
    const name = path.slice(path.lastIndexOf('/') + 1);
    if (!name.includes('.')) return response.redirect(301, `${name}/`);
    this.send(request, response, path);
  }

  private send(request: Request, response: Response, path: string): void {
    const extension = /\.[a-z]+$/.exec(path)?.[0] ?? '';
    if (!SAFE_PATH.test(path) || !SERVED_EXTENSIONS.has(extension)) return notFound(response);
    const headers: Record<string, string> = { 'X-Content-Type-Options': 'nosniff' };
    let file = path;
    if (COMPRESSED_EXTENSIONS.has(extension)) {
      headers.Vary = 'Accept-Encoding';
      const encoding = preferredEncoding(request.headers['accept-encoding']);
      if (encoding && existsSync(join(this.root, `${path}${ENCODED_SUFFIX[encoding]}`))) {
        file = `${path}${ENCODED_SUFFIX[encoding]}`;
        headers['Content-Encoding'] = encoding;
        headers['Content-Type'] = CONTENT_TYPES[extension]!;
      }
    }
    response.sendFile(
      file,
      { root: this.root, dotfiles: 'deny', maxAge: extension === '.html' ? 0 : MAX_AGE_MS, headers },
      (error?: Error) => {
        if (error && !response.headersSent) notFound(response);
      },
    );
  }
}

const ENCODED_SUFFIX = { br: '.br', gzip: '.gz' } as const;

/** brotli when the browser takes it, else gzip, else none (q=0 refuses an encoding). */
export function preferredEncoding(acceptEncoding: string | undefined): 'br' | 'gzip' | null {
  const accepted = new Set(
    (acceptEncoding ?? '')
      .split(',')
      .map((entry) => entry.trim().toLowerCase().split(';'))
      .filter(([, ...parameters]) => !parameters.some((parameter) => /^\s*q=0(\.0*)?\s*$/.test(parameter)))
      .map(([coding]) => coding.trim()),
  );
  if (accepted.has('br')) return 'br';
  if (accepted.has('gzip') || accepted.has('*')) return 'gzip';
  return null;
}

function notFound(response: Response): void {
  response.status(404).type('text/plain').send('Not found');
}

/** dist/gui of the checkout this file runs from (source under jest, compiled under dist/). */
function guiDirectory(): string {
  let directory = __dirname;
  while (!existsSync(join(directory, 'package.json')) && dirname(directory) !== directory) {
    directory = dirname(directory);
  }
  return join(directory, 'dist', 'gui');
}
