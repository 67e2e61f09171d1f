/** One answer on the way: where it came from and what it said. */
export interface Hop {
  readonly url: string;
  readonly status: number;
  readonly body: string;
}

/**
 * A browser without a screen: follows redirects, keeps cookies per host, and fills in the test
 * tenant's development log-in form. Enough to drive an OpenID Connect code flow end to end.
 */
export class RedirectFollowingBrowser {
  private readonly cookies = new Map<string, Map<string, string>>();
  /** Every answer, in order (the provider's pages, the redirects, the callback's page). */
  readonly hops: Hop[] = [];

  /** Follows `url` to its final page. */
  async open(url: string, init: { method?: string; body?: URLSearchParams } = {}): Promise<Hop> {
    let next: { url: string; method: string; body?: URLSearchParams } = { method: 'GET', ...init, url };
    for (let redirects = 0; redirects < 20; redirects += 1) {
      const response = await fetch(next.url, {
        method: next.method,
        body: next.body,
        redirect: 'manual',
        headers: { cookie: this.cookieHeader(next.url) },
      });
      this.keepCookies(next.url, response.headers.getSetCookie());
      const hop = { url: next.url, status: response.status, body: await response.text() };
      this.hops.push(hop);
      const location = response.headers.get('location');
      if (response.status < 300 || response.status >= 400 || location === null) return hop;
      next = { url: new URL(location, next.url).href, method: 'GET' };
    }
    throw new Error(`too many redirects from ${url}`);
  }

  /** Opens the authorization URL, signs in as `login` at the tenant's form, follows back to the callback. */
  async signIn(authorizationUrl: string, login: string): Promise<Hop> {
    const form = await this.open(authorizationUrl);
    const action = /<form[^>]*action="([^"]+)"/.exec(form.body)?.[1];
    if (action === undefined)
      throw new Error(`no log-in form at ${form.url} (${form.status}): ${form.body.slice(0, 500)}`);
    return this.open(new URL(action, form.url).href, {
      method: 'POST',
      body: new URLSearchParams({ prompt: 'login', login, password: 'any password' }),
    });
  }

  private cookieHeader(url: string): string {
    return [...(this.cookies.get(new URL(url).host) ?? new Map<string, string>())]
      .map(([name, value]) => `${name}=${value}`)
      .join('; ');
  }

  private keepCookies(url: string, setCookies: readonly string[]): void {
    const jar = this.cookies.get(new URL(url).host) ?? new Map<string, string>();
    for (const line of setCookies) {
      const [pair] = line.split(';');
      const separator = pair.indexOf('=');
      const name = pair.slice(0, separator).trim();
      const value = pair.slice(separator + 1).trim();
      if (value === '' || /expires=Thu, 01 Jan 1970/i.test(line)) jar.delete(name);
      else jar.set(name, value);
    }
    this.cookies.set(new URL(url).host, jar);
  }
}
