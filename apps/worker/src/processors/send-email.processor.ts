import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { type Job } from 'bullmq';
import { type Transporter } from 'nodemailer';
import { type BatonConfig } from '@baton/config';
import { BATON_CONFIG } from '@baton/core';
import { JobName, type SendEmailPayload } from '@baton/queues';
import { type JobHandler, type JobOutcomes } from './job-handler.js';

/** Sends one notification e-mail through BATON_SMTP_URL; failures are retried with backoff by BullMQ. */
@Injectable()
export class SendEmailProcessor implements JobHandler<JobName.SendEmail>, OnApplicationShutdown {
  readonly jobName = JobName.SendEmail;
  private transport: Promise<Transporter> | null = null;

  constructor(@Inject(BATON_CONFIG) private readonly config: BatonConfig) {}

  async handle(job: Job<SendEmailPayload>): Promise<JobOutcomes[JobName.SendEmail]> {
    if (!this.config.smtp) return 'no SMTP configured';
    const url = this.config.smtp.url;
    // nodemailer is loaded with the first e-mail, not at every start (most installations send none).
    this.transport ??= import('nodemailer').then(({ default: nodemailer }) =>
      nodemailer.createTransport(url),
    );
    const transport = await this.transport;
    await transport.sendMail({
      from: this.config.smtp.from,
      to: job.data.to,
      subject: job.data.subject,
      text: job.data.text,
      headers: { 'X-Baton-Event-Id': job.data.eventId },
    });
    return 'sent';
  }

  async onApplicationShutdown(): Promise<void> {
    (await this.transport)?.close();
  }
}
