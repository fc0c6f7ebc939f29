import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { type Job } from 'bullmq';
import nodemailer, { type Transporter } from 'nodemailer';
import { type BatonConfig } from '@baton/config';
import { BATON_CONFIG } from '@baton/core';
import { JobName, type SendEmailPayload } from '@baton/queues';
import { type JobHandler } from './job-handler.js';

/** Sends one notification e-mail through BATON_SMTP_URL; failures are retried with backoff by BullMQ. */
@Injectable()
export class SendEmailProcessor implements JobHandler<JobName.SendEmail>, OnApplicationShutdown {
  readonly jobName = JobName.SendEmail;
  private transport: Transporter | null = null;

  constructor(@Inject(BATON_CONFIG) private readonly config: BatonConfig) {}

  async handle(job: Job<SendEmailPayload>): Promise<string> {
    if (!this.config.smtp) return 'no SMTP configured';
    this.transport ??= nodemailer.createTransport(this.config.smtp.url);
    await this.transport.sendMail({
      from: this.config.smtp.from,
      to: job.data.to,
      subject: job.data.subject,
      text: job.data.text,
      headers: { 'X-Baton-Event-Id': job.data.eventId },
    });
    return 'sent';
  }

  onApplicationShutdown(): void {
    this.transport?.close();
  }
}
