import { z } from 'zod';
import { httpConfigSchema } from '../common/http-config.js';
import { httpUrl, timeoutSchema } from '../common/schema.js';
import { atMostOneSource, secretShape } from '../common/secrets.js';

/**
 * `twilio_configs` (Vigil's): a text message (`mode: sms`) or a phone call that reads the
 * alert out (`mode: voice`, TwiML `<Say>`), through Twilio's REST API. Account, token and
 * sender default to `global.twilio_*`.
 */
export const twilioConfigSchema = z
  .strictObject({
    send_resolved: z.boolean().default(false),
    http_config: httpConfigSchema.optional(),
    mode: z.enum(['sms', 'voice'], { error: 'mode must be sms or voice' }).default('sms'),
    to: z.string({ error: 'missing to (a phone number like +15551230001)' }).min(1, 'missing to (a phone number like +15551230001)'),
    from: z.string().optional(),
    /** SMS only: send through a Messaging Service instead of one number. */
    messaging_service_sid: z.string().optional(),
    account_sid: z.string().optional(),
    ...secretShape('auth_token'),
    api_url: httpUrl.optional(),
    message: z.string().default('{{ template "twilio.default.sms" . }}'),
    voice_message: z.string().default('{{ template "twilio.default.voice" . }}'),
    /** TwiML `<Say voice="…" language="…" loop="…">`. */
    say_voice: z.string().optional(),
    say_language: z.string().optional(),
    say_loop: z.number().int().min(0).max(10).default(2),
    timeout: timeoutSchema,
  })
  .superRefine(atMostOneSource('auth_token'))
  .superRefine((c, ctx) => {
    if (c.messaging_service_sid && c.mode === 'voice') ctx.addIssue({ code: 'custom', path: ['messaging_service_sid'], message: 'messaging_service_sid is for mode sms only' });
  });

export type TwilioConfig = z.output<typeof twilioConfigSchema>;
