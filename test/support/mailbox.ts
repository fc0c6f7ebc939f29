import { type AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

/** RFC 2047 encoded words (=?UTF-8?Q?...?= and ?B?) to text. */
function decodeWords(header: string): string {
  return header
    .replace(/\?=\s+=\?/g, '?==?')
    .replace(
      /=\?([^?]+)\?([QqBb])\?([^?]*)\?=/g,
      (_match, _charset: string, encoding: string, text: string) =>
        encoding.toUpperCase() === 'B'
          ? Buffer.from(text, 'base64').toString('utf8')
          : Buffer.from(
              text
                .replace(/_/g, ' ')
                .replace(/=([0-9A-Fa-f]{2})/g, (_hex, code: string) =>
                  String.fromCharCode(parseInt(code, 16)),
                ),
              'latin1',
            ).toString('utf8'),
    );
}

export interface Mail {
  to: string[];
  raw: string;
  subject: string;
}

/** An SMTP server of the test's own on loopback that keeps what it receives. */
export class Mailbox {
  readonly mails: Mail[] = [];
  private server: SMTPServer | null = null;

  async start(): Promise<string> {
    this.server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      onData: (stream, session, callback) => {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () => {
          const raw = Buffer.concat(chunks).toString('utf8');
          const folded = /^Subject: (.*(?:\r?\n[ \t].*)*)/m.exec(raw)?.[1]?.replace(/\r?\n[ \t]/g, ' ') ?? '';
          const subject = decodeWords(folded);
          this.mails.push({ to: session.envelope.rcptTo.map((address) => address.address), raw, subject });
          callback();
        });
      },
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return `smtp://127.0.0.1:${(this.server.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  async waitFor(predicate: (mails: Mail[]) => boolean, timeoutMs = 15_000): Promise<Mail[]> {
    const deadline = Date.now() + timeoutMs;
    while (!predicate(this.mails)) {
      if (Date.now() > deadline)
        throw new Error(
          `mailbox: timed out with ${JSON.stringify(this.mails.map((mail) => [mail.to, mail.subject]))}`,
        );
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    return this.mails;
  }
}
