/** Secrets known only at run time (the admin auth string) that no log line may show. */
export class SecretMask {
  private readonly secrets = new Set<string>();

  /** Never shows `secret` from now on, in lines written before as after. */
  add(secret: string): void {
    if (secret !== '') this.secrets.add(secret);
  }

  apply(text: string): string {
    let masked = text;
    for (const secret of this.secrets) masked = masked.split(secret).join('***');
    return masked;
  }
}
